using System.Diagnostics;
using RegistryCloud.Resilience.Tests.Invariants;

namespace RegistryCloud.Resilience.Tests.Infrastructure;

/// <summary>
/// A scenario: runs its fault and its clients, then the invariant checks, adds its line to the
/// summary and fails on any violation, listing them all.
/// </summary>
[Collection(ResilienceCollection.Name)]
public abstract class ScenarioTest(ResilienceAppFixture registry)
{
    protected ResilienceAppFixture Registry { get; } = registry;

    protected async Task RunAsync(string scenario, Checks checks, Func<ScenarioRun, Task> run)
    {
        var started = Stopwatch.StartNew();
        using var client = new ScenarioRun(scenario, Registry.Gateway);
        try
        {
            await run(client);
        }
        finally
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"requests that did not succeed (the first {client.Failures.Count}):{Environment.NewLine}{string.Join(Environment.NewLine, client.Failures)}");
        }

        await InvariantChecker.CheckAsync(client, Registry, checks);
        Report(client, started.Elapsed);
    }

    /// <summary>Adds the scenario's line, writes the table so far to the test's output and fails on any violation.</summary>
    protected void Report(ScenarioRun client, TimeSpan duration)
    {
        var violations = client.Violations.ToList();
        Registry.Summary.Add(new ScenarioResult(client.Name, client.Requests, client.Faults, violations, duration));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{client.Name}: {client.Requests} requests ({client.ServerErrors} answered 5xx, {client.ConnectionErrors} connection errors), {client.Faults} faults{Environment.NewLine}{Registry.Summary.Table()}");
        Assert.True(violations.Count == 0, $"{violations.Count} invariant violations:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }
}
