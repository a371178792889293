using Microsoft.Extensions.Diagnostics.HealthChecks;
using RegistryCloud.Hosting.Health;

namespace RegistryCloud.Hosting.Tests.Health;

/// <summary>Distribution's threshold semantics: unhealthy after N failures in a row, healthy on the next success.</summary>
public sealed class PeriodicHealthCheckTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_check_is_healthy_before_its_first_run()
    {
        var check = new PeriodicHealthCheck("c", new ScriptedProbe("down"), TimeSpan.FromSeconds(10), threshold: 0);

        Assert.Equal(HealthStatus.Healthy, await StatusAsync(check));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Threshold_zero_or_one_fails_on_the_first_failure(int threshold)
    {
        var check = new PeriodicHealthCheck("c", new ScriptedProbe("down"), TimeSpan.FromSeconds(10), threshold);

        await check.RunOnceAsync(Token);

        Assert.Equal(HealthStatus.Unhealthy, await StatusAsync(check));
        Assert.Equal("down", (await check.CheckHealthAsync(new HealthCheckContext(), Token)).Description);
    }

    [Fact]
    public async Task Threshold_three_tolerates_two_failures_and_fails_on_the_third()
    {
        var check = new PeriodicHealthCheck("c", new ScriptedProbe("down"), TimeSpan.FromSeconds(10), threshold: 3);

        await check.RunOnceAsync(Token);
        await check.RunOnceAsync(Token);
        Assert.Equal(HealthStatus.Healthy, await StatusAsync(check));

        await check.RunOnceAsync(Token);
        Assert.Equal(HealthStatus.Unhealthy, await StatusAsync(check));
    }

    [Fact]
    public async Task A_success_resets_the_count_of_failures()
    {
        var check = new PeriodicHealthCheck("c", new ScriptedProbe("down", "down", null, "down", "down"), TimeSpan.FromSeconds(10), threshold: 3);

        for (var i = 0; i < 5; i++)
        {
            await check.RunOnceAsync(Token);
        }

        Assert.Equal(2, check.ConsecutiveFailures);
        Assert.Equal(HealthStatus.Healthy, await StatusAsync(check));
    }

    [Fact]
    public async Task A_failing_check_turns_healthy_on_the_next_success()
    {
        var check = new PeriodicHealthCheck("c", new ScriptedProbe("down", null), TimeSpan.FromSeconds(10), threshold: 0);

        await check.RunOnceAsync(Token);
        Assert.Equal(HealthStatus.Unhealthy, await StatusAsync(check));

        await check.RunOnceAsync(Token);
        Assert.Equal(HealthStatus.Healthy, await StatusAsync(check));
    }

    [Fact]
    public async Task A_probe_that_throws_counts_as_a_failure()
    {
        var check = new PeriodicHealthCheck("c", new ThrowingProbe(), TimeSpan.FromSeconds(10), threshold: 0);

        await check.RunOnceAsync(Token);

        var result = await check.CheckHealthAsync(new HealthCheckContext(), Token);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("NotSupportedException: no such thing", result.Description);
    }

    private sealed class ThrowingProbe : IHealthProbe
    {
        public Task<string?> ProbeAsync(CancellationToken cancellationToken) => throw new NotSupportedException("no such thing");
    }

    private static async Task<HealthStatus> StatusAsync(PeriodicHealthCheck check) =>
        (await check.CheckHealthAsync(new HealthCheckContext(), Token)).Status;
}
