using RegistryCloud.AppHost.Restarts;

namespace RegistryCloud.EndToEnd.Tests.AppHost;

/// <summary>How long the AppHost waits before starting again a process that died.</summary>
public sealed class RestartBackoffTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Deaths_in_a_row_wait_twice_as_long_each_time_up_to_the_cap()
    {
        var backoff = new RestartBackoff(Second, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));

        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next(healthyFor: null).TotalSeconds).ToList();

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays);
    }

    [Fact]
    public void A_process_that_was_healthy_a_while_before_it_died_waits_the_first_delay_again()
    {
        var backoff = new RestartBackoff(Second, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));
        backoff.Next(null);
        backoff.Next(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(4), backoff.Next(TimeSpan.FromSeconds(59)));
        Assert.Equal(Second, backoff.Next(TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Next(Second));
    }

    [Fact]
    public void A_long_crash_loop_stays_at_the_cap()
    {
        var backoff = new RestartBackoff();

        var last = TimeSpan.Zero;
        for (var death = 0; death < 200; death++)
        {
            last = backoff.Next(null);
        }

        Assert.Equal(RestartBackoff.DefaultMax, last);
    }

    [Fact]
    public void A_cap_below_the_first_delay_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestartBackoff(TimeSpan.FromSeconds(5), Second, TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestartBackoff(TimeSpan.Zero, Second, TimeSpan.FromMinutes(1)));
    }
}
