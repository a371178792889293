using Microsoft.Extensions.Time.Testing;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells which timers are armed and still waiting. A
/// test moves the clock once the code under test is waiting on it: moved a moment earlier, the
/// clock would pass before the timer is armed, and the timer would count from the new time.
/// It also shows what the code waits for: a retry that waits 400 ms arms a 400 ms timer.
/// </summary>
public sealed class FakeClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<Armed> _timers = [];

    /// <summary>A clock at the real time now, so times compared with real ones (stream ids, files) make sense.</summary>
    public FakeClock()
        : this(DateTimeOffset.UtcNow)
    {
    }

    /// <summary>The due times, as they were asked for, of the timers armed and neither fired nor disposed.</summary>
    public IReadOnlyList<TimeSpan> Waiting
    {
        get
        {
            lock (_gate)
            {
                return [.. _timers.Where(timer => timer.IsWaiting).Select(timer => timer.Due)];
            }
        }
    }

    /// <summary>Waits until a timer of exactly <paramref name="due"/> is armed and waiting.</summary>
    public Task WaitForTimerAsync(TimeSpan due, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => Waiting.Contains(due),
            () => $"no timer of {due.TotalMilliseconds:0} ms is waiting; waiting: [{string.Join(", ", Waiting.Select(d => $"{d.TotalMilliseconds:0} ms"))}]",
            timeout);

    /// <summary>Waits until at least <paramref name="count"/> timers are armed and waiting.</summary>
    public Task WaitForTimersAsync(int count, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => Waiting.Count >= count, () => $"{Waiting.Count} timers are waiting, not {count}", timeout);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var armed = new Armed(dueTime, period);
        lock (_gate)
        {
            _timers.Add(armed);
        }

        var timer = base.CreateTimer(
            callbackState =>
            {
                armed.Fire();
                callback(callbackState);
            },
            state,
            dueTime,
            period);
        return new ObservedTimer(timer, armed);
    }

    private sealed class Armed(TimeSpan due, TimeSpan period)
    {
        private volatile bool _fired;
        private volatile bool _disposed;

        public TimeSpan Due { get; private set; } = due;

        public bool IsWaiting => !_disposed && Due != Timeout.InfiniteTimeSpan && (!_fired || period != Timeout.InfiniteTimeSpan);

        public void Fire() => _fired = true;

        public void Change(TimeSpan due, TimeSpan newPeriod)
        {
            Due = due;
            period = newPeriod;
            _fired = false;
        }

        public void Dispose() => _disposed = true;
    }

    private sealed class ObservedTimer(ITimer inner, Armed armed) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            armed.Change(dueTime, period);
            return inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            armed.Dispose();
            inner.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            armed.Dispose();
            await inner.DisposeAsync();
        }
    }
}
