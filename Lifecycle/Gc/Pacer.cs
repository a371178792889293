using System.Diagnostics;

namespace RegistryCloud.Lifecycle.Gc;

/// <summary>
/// Keeps a background job to a share of the time (<c>gc.dutycycle</c>): after each slice of work
/// it rests for as long as the share asks, so requests keep the cores and the disk the rest of the
/// time. At 100% it never rests (the offline collector). Work is timed on the real clock, since it
/// is CPU and I/O the job spends, not scheduled time.
/// </summary>
public sealed class Pacer(int percent, TimeProvider time)
{
    /// <summary>Work shorter than this is not interrupted: resting costs a timer and a context switch.</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(20);

    private long _workingSince = Stopwatch.GetTimestamp();

    public static Pacer FullSpeed { get; } = new(100, TimeProvider.System);

    /// <summary>Called between units of work: rests when the work since the last rest filled a slice.</summary>
    public async ValueTask PaceAsync(CancellationToken cancellationToken)
    {
        if (percent >= 100)
        {
            return;
        }

        var worked = Stopwatch.GetElapsedTime(_workingSince);
        if (worked < Slice)
        {
            return;
        }

        await Task.Delay(worked * (100 - percent) / percent, time, cancellationToken).ConfigureAwait(false);
        _workingSince = Stopwatch.GetTimestamp();
    }
}
