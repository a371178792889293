using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RegistryCloud.AppHost.Startup;

namespace RegistryCloud.AppHost.Restarts;

/// <summary>
/// Starts again a process resource (marked by <see cref="RestartOnExitAnnotation"/>) that died on
/// its own after it had been healthy: killed, crashed, or exited without being asked to. It waits
/// the <see cref="RestartBackoff"/> first, then runs the resource's own <c>start</c> command, as the
/// dashboard's Start button does. A resource the AppHost stopped (the dashboard's Stop, a
/// rebuild, the AppHost stopping) stays stopped, and one that never became healthy is a start-up
/// failure to report, not to retry (see <see cref="ResourceReport"/>). Each restart shows in the
/// resource's console log and as <see cref="RestartProperties"/> in the dashboard.
/// </summary>
internal sealed partial class ResourceSupervisor(
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ResourceSupervisor> logger) : BackgroundService
{
    /// <summary>The snapshot property with the pid of the process DCP started (Aspire's KnownProperties).</summary>
    private const string ExecutablePid = "executable.pid";

    private readonly ResourceReport _report = new();
    private readonly Dictionary<string, Supervised> _supervised = new(StringComparer.Ordinal);
    private readonly List<Task> _pending = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (update.Resource.RestartsOnExit() && !lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    await ObserveAsync(update, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A background service that throws stops the host; the registry runs on without restarts.
            LogSupervisionEnded(logger, e.Message);
        }

        await Task.WhenAll(_pending);
    }

    private async Task ObserveAsync(ResourceEvent update, CancellationToken stoppingToken)
    {
        var snapshot = update.Snapshot;
        var state = snapshot.State?.Text;
        var now = time.GetUtcNow();
        if (!_supervised.TryGetValue(update.ResourceId, out var supervised))
        {
            supervised = new Supervised();
            _supervised[update.ResourceId] = supervised;
        }

        supervised.Observe(state, snapshot.HealthStatus, now);
        var change = _report.Observe(update.Resource.Name, state, snapshot.HealthStatus);
        if (change == ResourceChange.StoppedOnRequest)
        {
            // Said where one would look for why it does not come back.
            await PublishAsync(update, (RestartProperties.LastExit, $"stopped on request at {Timestamp(now)}: not restarted"));
            return;
        }

        if (change != ResourceChange.Died)
        {
            return;
        }

        // A process dies once. Right after a restart's start command DCP can report the old
        // process's end again (same pid, same exit code) once the new run is Starting; counting it
        // made a second restart and doubled the back-off (seen in CI: "restart 3" 30 ms after
        // "restart 2").
        var died = (Pid: snapshot.Properties.FirstOrDefault(p => p.Name == ExecutablePid)?.Value?.ToString(), snapshot.ExitCode);
        if (died.Pid is not null && died == supervised.LastDeath)
        {
            return;
        }

        supervised.LastDeath = died;

        var delay = supervised.Backoff.Next(supervised.HealthyFor);
        var restart = ++supervised.Restarts;
        var exit = snapshot.ExitCode is { } code ? $"exit code {code.ToString(CultureInfo.InvariantCulture)}" : "no exit code";
        var delayText = string.Create(CultureInfo.InvariantCulture, $"{delay.TotalSeconds:0.###} s");
        await PublishAsync(
            update,
            (RestartProperties.Count, restart),
            (RestartProperties.LastExit, $"{exit} at {Timestamp(now)}"),
            (RestartProperties.Delay, delayText));
        LogDied(logs.GetLogger(update.ResourceId), exit, restart, delayText);

        _pending.RemoveAll(task => task.IsCompleted);
        _pending.Add(RestartAfterAsync(update.Resource, update.ResourceId, restart, delay, stoppingToken));
    }

    /// <summary>Sets properties of the resource's snapshot, which the dashboard shows with the others.</summary>
    private Task PublishAsync(ResourceEvent update, params (string Name, object Value)[] properties) =>
        notifications.PublishUpdateAsync(update.Resource, update.ResourceId, current => current with
        {
            Properties = current.Properties
                .RemoveAll(property => properties.Any(set => set.Name == property.Name))
                .AddRange(properties.Select(set => new ResourcePropertySnapshot(set.Name, set.Value))),
        });

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private async Task RestartAfterAsync(IResource resource, string resourceId, int restart, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);

            // Started meanwhile (the dashboard's Start), or the AppHost is stopping: nothing to do.
            if (lifetime.ApplicationStopping.IsCancellationRequested
                || !notifications.TryGetCurrentState(resourceId, out var current)
                || !KnownResourceStates.TerminalStates.Contains(current.Snapshot.State?.Text))
            {
                return;
            }

            var resourceLogger = logs.GetLogger(resourceId);
            LogRestarting(resourceLogger, restart);
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                // A start that fails in DCP ends as FailedToStart, another death with a longer
                // back-off; a command refused outright is said, and the resource left as it is.
                LogRestartRefused(resourceLogger, restart, result.Message ?? "no reason given");
                LogRestartRefused(logger, resource.Name, restart, result.Message ?? "no reason given");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RegistryCloud: the process died ({Exit}); restart {Restart} in {Delay} (RegistryCloud:RestartOnExit)")]
    private static partial void LogDied(ILogger logger, string exit, int restart, string delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "RegistryCloud: restart {Restart}")]
    private static partial void LogRestarting(ILogger logger, int restart);

    [LoggerMessage(Level = LogLevel.Error, Message = "RegistryCloud: restart {Restart} was refused: {Reason}")]
    private static partial void LogRestartRefused(ILogger logger, int restart, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource}: restart {Restart} was refused: {Reason}")]
    private static partial void LogRestartRefused(ILogger logger, string resource, int restart, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The AppHost no longer restarts processes that die: {Reason}")]
    private static partial void LogSupervisionEnded(ILogger logger, string reason);

    /// <summary>What the supervisor keeps about one process resource.</summary>
    private sealed class Supervised
    {
        private DateTimeOffset? _healthySince;

        public RestartBackoff Backoff { get; } = new();

        public int Restarts { get; set; }

        /// <summary>The pid and exit code of the last death handled.</summary>
        public (string? Pid, int? ExitCode) LastDeath { get; set; }

        /// <summary>How long its current run has been healthy, as of its last change; null when it has not been.</summary>
        public TimeSpan? HealthyFor { get; private set; }

        public void Observe(string? state, HealthStatus? health, DateTimeOffset now)
        {
            if (state == KnownResourceStates.Starting)
            {
                // A new run: what the last one lasted no longer counts.
                HealthyFor = null;
                _healthySince = null;
            }
            else if (state == KnownResourceStates.Running && health == HealthStatus.Healthy)
            {
                _healthySince ??= now;
                HealthyFor = now - _healthySince;
            }
            else if (_healthySince is { } since)
            {
                // Unhealthy, or ended: it was healthy until now.
                HealthyFor = now - since;
                _healthySince = null;
            }
        }
    }
}
