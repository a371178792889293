using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting.Testing;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.AppHost.Restarts;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.AppHost;

/// <summary>
/// Issue #20: a service replica killed with SIGKILL comes back by itself, after a back-off that
/// grows when it dies again soon, while the other replica serves; one stopped on request stays
/// stopped. Each test leaves both replicas healthy for the rest of the collection.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ProcessRestartTests(RegistryAppFixture registry)
{
    private const string Survivor = "blobservice";
    private static readonly string Victim = RegistryAppFixture.ReplicaName("blobservice", 1);

    /// <summary>A restart is the back-off plus a service start on a loaded two-core machine.</summary>
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_killed_BlobService_replica_is_restarted_after_a_back_off_that_grows_when_it_dies_again_soon()
    {
        var app = RequireReplicatedApp();
        var cancellationToken = TestContext.Current.CancellationToken;
        var repository = TestContent.NewRepository("restart");
        var blob = TestContent.NewBlob(4096);
        var digest = await registry.Http.PushBlobAsync(repository, blob);
        using var survivor = new HttpClient { BaseAddress = app.GetEndpoint(Survivor, "http") };
        var restartsBefore = Restarts(Snapshot(app, Victim));

        var first = await KillAsync(app, Victim);

        // The other replica serves the blob while this one is dead.
        Assert.Equal(blob, await survivor.GetBlobAsync(repository, digest, cancellationToken));
        var firstRun = await WaitForRestartAsync(app, Victim, first, restartsBefore + 1);

        var second = await KillAsync(app, Victim);
        var secondRun = await WaitForRestartAsync(app, Victim, second, restartsBefore + 2);

        var firstDelay = Delay(firstRun);
        var secondDelay = Delay(secondRun);
        Assert.True(secondDelay == 2 * firstDelay || secondDelay == RestartBackoff.DefaultMax, $"the second restart waited {secondDelay} after the first's {firstDelay}");
        // A service the AppHost runs directly (its built executable) has no exit status after a
        // SIGKILL, which DCP reports as exit code -1; run through `dotnet run`, the launcher
        // reported 137 for it.
        Assert.Matches("^exit code (-1|137) at ", Property(secondRun, RestartProperties.LastExit));
        await WaitForLogLineAsync(app, Victim, $"restart {Restarts(secondRun).ToString(CultureInfo.InvariantCulture)} in ");

        // Through the gateway, over both replicas again. A new blob: the collection's garbage
        // collector may have taken the first, which no manifest holds, by now.
        var after = TestContent.NewBlob(4096);
        var afterDigest = await registry.Http.PushBlobAsync(repository, after);
        foreach (var _ in Enumerable.Range(0, 4))
        {
            Assert.Equal(after, await registry.Http.GetBlobAsync(repository, afterDigest, cancellationToken));
        }
    }

    [Fact]
    public async Task A_replica_stopped_on_request_is_not_restarted()
    {
        var app = RequireReplicatedApp();
        var cancellationToken = TestContext.Current.CancellationToken;
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var restartsBefore = Restarts(Snapshot(app, Victim));
        try
        {
            var stopped = await commands.ExecuteCommandAsync(Victim, KnownResourceCommands.StopCommand, cancellationToken);
            Assert.True(stopped.Success, stopped.Message);

            // The supervisor has seen the stop and said why it leaves it be; it would have counted a restart first.
            var seen = await Poll.UntilAsync(
                () => Task.FromResult(Snapshot(app, Victim)),
                snapshot => Property(snapshot, RestartProperties.LastExit)?.StartsWith("stopped on request", StringComparison.Ordinal) == true,
                snapshot => $"{Victim} is {Describe(snapshot)}, not marked stopped on request",
                RestartTimeout);
            Assert.Contains(seen.State?.Text, KnownResourceStates.TerminalStates);
            Assert.Equal(restartsBefore, Restarts(seen));
        }
        finally
        {
            // The collection's other tests need both replicas.
            await commands.ExecuteCommandAsync(Victim, KnownResourceCommands.StartCommand, cancellationToken);
            await app.ResourceNotifications.WaitForResourceHealthyAsync(Victim, cancellationToken);
        }
    }

    /// <summary>Kills the replica's service process as a crash would (SIGKILL); returns when, and its snapshot then.</summary>
    private static async Task<Killed> KillAsync(DistributedApplication app, string resource)
    {
        var running = await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, TestContext.Current.CancellationToken);
        var launcher = Convert.ToInt32(running.Snapshot.Properties.Single(property => property.Name == "executable.pid").Value, CultureInfo.InvariantCulture);
        using var service = Process.GetProcessById(ProcessTree.ServiceProcess(launcher));
        var at = DateTime.UtcNow;
        service.Kill();
        return new Killed(launcher, at);
    }

    /// <summary>
    /// Waits until the replica runs healthy again in a new process, restarted <paramref name="restarts"/>
    /// times in all, and checks it waited its back-off: DCP started the new process no sooner.
    /// </summary>
    private static async Task<CustomResourceSnapshot> WaitForRestartAsync(DistributedApplication app, string resource, Killed killed, int restarts)
    {
        var snapshot = await Poll.UntilAsync(
            () => Task.FromResult(Snapshot(app, resource)),
            snapshot => snapshot.State?.Text == KnownResourceStates.Running && snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                && Launcher(snapshot) != killed.Launcher && Restarts(snapshot) == restarts,
            snapshot => $"{resource} is {Describe(snapshot)}, not running healthy after restart {restarts}",
            RestartTimeout,
            TimeSpan.FromMilliseconds(100));
        Assert.True(
            snapshot.StartTimeStamp - killed.At >= Delay(snapshot),
            $"restart {restarts} started its process at {snapshot.StartTimeStamp:O}, {snapshot.StartTimeStamp - killed.At} after the kill, sooner than its back-off {Delay(snapshot)}");
        return snapshot;
    }

    private static async Task WaitForLogLineAsync(DistributedApplication app, string resource, string text)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var resourceId = app.ResourceNotifications.TryGetCurrentState(resource, out var current) ? current.ResourceId : resource;
        await Poll.UntilAsync(
            async () =>
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                try
                {
                    await foreach (var batch in logs.GetAllAsync(resourceId).WithCancellation(timeout.Token))
                    {
                        if (batch.Any(line => line.Content.Contains(text, StringComparison.Ordinal)))
                        {
                            return true;
                        }
                    }
                }
                catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
                {
                    // Read what there was.
                }

                return false;
            },
            $"{resource}'s console log has no line with '{text}'");
    }

    private static CustomResourceSnapshot Snapshot(DistributedApplication app, string resource) =>
        app.ResourceNotifications.TryGetCurrentState(resource, out var current)
            ? current.Snapshot
            : throw new InvalidOperationException($"no resource {resource}");

    private static string? Property(CustomResourceSnapshot snapshot, string name) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == name)?.Value is { } value ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    private static int Restarts(CustomResourceSnapshot snapshot) =>
        Property(snapshot, RestartProperties.Count) is { } count ? int.Parse(count, CultureInfo.InvariantCulture) : 0;

    private static TimeSpan Delay(CustomResourceSnapshot snapshot) =>
        Property(snapshot, RestartProperties.Delay) is { } delay
            ? TimeSpan.FromSeconds(double.Parse(delay.TrimEnd('s', ' '), CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"no {RestartProperties.Delay} property: {Describe(snapshot)}");

    private static int? Launcher(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } pid ? Convert.ToInt32(pid, CultureInfo.InvariantCulture) : null;

    private static string Describe(CustomResourceSnapshot snapshot) =>
        $"{snapshot.State?.Text ?? "no state"} (health {snapshot.HealthStatus?.ToString() ?? "unknown"}, exit code {snapshot.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}, " +
        $"pid {Launcher(snapshot)?.ToString(CultureInfo.InvariantCulture) ?? "none"}, restarts {Restarts(snapshot).ToString(CultureInfo.InvariantCulture)}, " +
        $"last exit '{Property(snapshot, RestartProperties.LastExit)}')";

    private DistributedApplication RequireReplicatedApp()
    {
        Assert.SkipWhen(registry.App is null, $"the registry is external ({RegistryAppFixture.RegistryOverrideVariable}): its processes are not the AppHost's");
        Assert.SkipWhen(registry.Replicas < 2, $"the AppHost runs one replica ({RegistryAppFixture.ReplicasVariable}={registry.Replicas})");
        return registry.App!;
    }

    private sealed record Killed(int Launcher, DateTime At);
}
