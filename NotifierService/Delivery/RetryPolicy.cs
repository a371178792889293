namespace RegistryCloud.NotifierService.Delivery;

/// <summary>
/// Distribution's breaker: failures below <c>threshold</c> are retried at once; from the
/// threshold on, each retry waits <c>backoff</c>, doubled for every further failure, up to a cap.
/// </summary>
internal sealed record RetryPolicy(int Threshold, TimeSpan Backoff, TimeSpan MaxBackoff)
{
    public TimeSpan DelayAfter(int consecutiveFailures)
    {
        if (consecutiveFailures < Threshold)
        {
            return TimeSpan.Zero;
        }

        var cap = MaxBackoff > Backoff ? MaxBackoff : Backoff;
        var doublings = consecutiveFailures - Threshold;
        var delay = Backoff.Ticks * Math.Pow(2, Math.Min(doublings, 62));
        return delay >= cap.Ticks ? cap : TimeSpan.FromTicks((long)delay);
    }
}
