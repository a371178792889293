using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Lifecycle.Gc;

namespace RegistryCloud.Lifecycle.Tests;

/// <summary><c>gc.dutycycle</c>: after a slice of work the collector rests in proportion to it.</summary>
public sealed class PacerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task At_a_quarter_of_the_time_it_rests_three_times_as_long_as_it_worked()
    {
        var time = new FakeTimeProvider();
        var pacer = new Pacer(25, time);
        Work(TimeSpan.FromMilliseconds(30));

        var resting = pacer.PaceAsync(Token).AsTask();

        Assert.False(resting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(89));
        Assert.False(resting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        await resting.WaitAsync(TimeSpan.FromSeconds(10), Token);
    }

    [Fact]
    public void At_full_speed_it_never_rests()
    {
        var full = new Pacer(100, new FakeTimeProvider());
        Work(TimeSpan.FromMilliseconds(30));

        Assert.True(full.PaceAsync(Token).IsCompleted);
    }

    /// <summary>Busy for a while, as a collector's slice of work is (CPU, not a timer).</summary>
    private static void Work(TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            Thread.SpinWait(1000);
        }
    }
}
