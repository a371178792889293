using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Hosting.Health;

namespace RegistryCloud.Hosting.Tests.Health;

/// <summary>The monitor runs each check at start and then once per interval, on the injected clock.</summary>
public sealed class RegistryHealthMonitorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_check_runs_at_start_and_then_once_per_interval()
    {
        var time = new FakeTimeProvider();
        var probe = new ScriptedProbe("down");
        var check = new PeriodicHealthCheck("scripted", probe, TimeSpan.FromSeconds(10), threshold: 2);
        using var checks = new RegistryHealthChecks([check]);
        using var monitor = new RegistryHealthMonitor(checks, time, NullLogger<RegistryHealthMonitor>.Instance);

        await monitor.StartAsync(Token);
        await WaitForAsync(() => probe.Runs == 1);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext(), Token)).Status);

        time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(50, Token);
        Assert.Equal(1, probe.Runs);

        time.Advance(TimeSpan.FromSeconds(1));

        // The monitor may arm its timer just as the clock moves, from the new time (a race of
        // the fake clock, seen once in a loaded CI run): nudge the clock in small steps, never
        // near the next interval, until the second run comes.
        var nudged = TimeSpan.Zero;
        await WaitForAsync(() =>
        {
            if (probe.Runs < 2 && nudged < TimeSpan.FromSeconds(5))
            {
                time.Advance(TimeSpan.FromMilliseconds(50));
                nudged += TimeSpan.FromMilliseconds(50);
            }

            return probe.Runs == 2;
        });
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext(), Token)).Status);

        await monitor.StopAsync(Token);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10, Token);
        }

        Assert.True(condition());
    }
}
