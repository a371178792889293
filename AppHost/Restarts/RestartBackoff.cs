namespace RegistryCloud.AppHost.Restarts;

/// <summary>
/// How long to wait before starting again a process that died: <see cref="First"/>, then twice as
/// long for each death in a row (1 s, 2 s, 4 s, ...) up to <see cref="Max"/>, as Kubernetes'
/// CrashLoopBackOff does (there from 10 s to 5 min: on a laptop the service should be back
/// sooner). A process that died after running healthy for <see cref="ResetAfter"/> starts from
/// <see cref="First"/> again: an occasional crash is not a loop. One per supervised process.
/// </summary>
internal sealed class RestartBackoff(TimeSpan first, TimeSpan max, TimeSpan resetAfter)
{
    public static readonly TimeSpan DefaultFirst = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultMax = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultResetAfter = TimeSpan.FromMinutes(1);

    private int _inARow;

    public RestartBackoff()
        : this(DefaultFirst, DefaultMax, DefaultResetAfter)
    {
    }

    public TimeSpan First { get; } = first > TimeSpan.Zero ? first : throw new ArgumentOutOfRangeException(nameof(first), first, "The first delay must be positive.");

    public TimeSpan Max { get; } = max >= first ? max : throw new ArgumentOutOfRangeException(nameof(max), max, "The longest delay must be at least the first.");

    public TimeSpan ResetAfter { get; } = resetAfter;

    /// <summary>
    /// The delay before the restart that follows a death, counting it: <paramref name="healthyFor"/>
    /// is how long the process had been healthy when it died, null when it never was since it started.
    /// </summary>
    public TimeSpan Next(TimeSpan? healthyFor)
    {
        if (healthyFor >= ResetAfter)
        {
            _inARow = 0;
        }

        // Doubling stops at Max; the exponent is bounded so a long crash loop cannot overflow it.
        var delay = First * Math.Pow(2, Math.Min(_inARow, 30));
        _inARow++;
        return delay < Max ? delay : Max;
    }
}
