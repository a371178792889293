using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using RegistryCloud.Hosting.Health;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Hosting.Tests.Health;

/// <summary>The monitor runs each check at start and then once per interval, on the injected clock.</summary>
public sealed class RegistryHealthMonitorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_check_runs_at_start_and_then_once_per_interval()
    {
        var time = new FakeClock();
        var probe = new ScriptedProbe("down");
        var check = new PeriodicHealthCheck("scripted", probe, TimeSpan.FromSeconds(10), threshold: 2);
        using var checks = new RegistryHealthChecks([check]);
        using var monitor = new RegistryHealthMonitor(checks, time, NullLogger<RegistryHealthMonitor>.Instance);

        await monitor.StartAsync(Token);
        await Poll.UntilAsync(() => probe.Runs == 1, () => $"the probe ran {probe.Runs} times at start, not once");
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext(), Token)).Status);

        // The monitor now waits out the interval on its clock; until the clock has moved all of it, no run.
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(1, probe.Runs);
        Assert.Contains(TimeSpan.FromSeconds(10), time.Waiting);

        time.Advance(TimeSpan.FromSeconds(1));

        await Poll.UntilAsync(() => probe.Runs == 2, () => $"the probe ran {probe.Runs} times once the interval had passed, not twice");
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext(), Token)).Status);

        await monitor.StopAsync(Token);
    }
}
