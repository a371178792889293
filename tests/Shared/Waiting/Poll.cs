using System.Diagnostics;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// Waiting on the condition a test needs, with a bound: it returns as soon as the condition holds
/// and fails the test, saying what it saw, when it does not hold in time. Never a fixed sleep.
/// </summary>
public static class Poll
{
    /// <summary>Ample for a loaded two-core CI machine; a condition that holds costs nothing of it.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    public static Task UntilAsync(Func<bool> condition, string failure, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), () => failure, timeout);

    public static Task UntilAsync(Func<bool> condition, Func<string> failure, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), failure, timeout);

    public static Task UntilAsync(Func<Task<bool>> condition, string failure, TimeSpan? timeout = null) =>
        UntilAsync(condition, () => failure, timeout);

    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> failure, TimeSpan? timeout = null) =>
        await UntilAsync(condition, done => done, _ => failure(), timeout);

    /// <summary>
    /// A client's own retries: tries <paramref name="attempt"/> until it succeeds, at most
    /// <paramref name="attempts"/> times, <paramref name="interval"/> apart; false (the test is
    /// not failed) when none did, so the caller judges the outcome. Returns as soon as one succeeds.
    /// </summary>
    public static async Task<bool> AttemptsAsync(int attempts, TimeSpan interval, Func<Task<bool>> attempt)
    {
        for (var tried = 1; ; tried++)
        {
            if (await attempt())
            {
                return true;
            }

            if (tried >= attempts)
            {
                return false;
            }

            await Task.Delay(interval, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Reads until <paramref name="done"/> holds for what was read; returns that value. A read that
    /// costs the system under test something (a scrape of every replica's metrics) may ask for a
    /// longer <paramref name="interval"/> than the default 20 ms.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<T, string> failure, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var bound = timeout ?? DefaultTimeout;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (Stopwatch.GetElapsedTime(started) > bound)
            {
                Assert.Fail($"{failure(value)} (waited {bound.TotalSeconds:0.#} s)");
            }

            await Task.Delay(interval ?? Interval, TestContext.Current.CancellationToken);
        }
    }
}
