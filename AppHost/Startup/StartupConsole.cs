using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RegistryCloud.AppHost.Resources;
using RegistryCloud.AppHost.Restarts;

namespace RegistryCloud.AppHost.Startup;

/// <summary>What the console needs to know that the app model does not say: the settings read and how Redis is provided.</summary>
internal sealed record StartupFacts(AppHostSettings Settings, string Redis);

/// <summary>
/// The AppHost's console while the registry runs. The health checks that fail while the services
/// start (connection refused until each listens) are not logged — Aspire logs them as failures with
/// stack traces when there is no dashboard — and instead: one summary once the gateway answers; one
/// line when a resource that was healthy turns unhealthy, and when it recovers; one line when a
/// resource stops, with the reason its log gives. A process that died after it had worked is
/// restarted (<see cref="ResourceSupervisor"/>) and the line says so; one that cannot start, or
/// dies with restarts off, has nothing to bring it back without a dashboard, so the AppHost then
/// stops, with exit code 1. A resource stopped on request (the dashboard, <c>aspire</c>) is a note.
/// </summary>
internal sealed class StartupConsole(
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    DistributedApplicationModel model,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    StartupFacts facts) : BackgroundService
{
    /// <summary>Where Microsoft.Extensions.Diagnostics.HealthChecks logs every check that did not pass.</summary>
    public const string HealthCheckLogCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    /// <summary>How long a stopped resource's log is read for the reason it stopped.</summary>
    private static readonly TimeSpan LogReadTimeout = TimeSpan.FromSeconds(3);

    /// <summary>0, or 1 when a resource stopped and took the AppHost down with it.</summary>
    public int ExitCode { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dashboard = model.Resources.Any(resource => resource.Name == TelemetryResources.DashboardResourceName);
        var report = new ResourceReport();
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    return;
                }

                var name = update.Resource.Name;
                var snapshot = update.Snapshot;
                switch (report.Observe(name, snapshot.State?.Text, snapshot.HealthStatus))
                {
                    case ResourceChange.Ready when name == ServiceResources.GatewayName:
                        var dashboardAddress = dashboard ? StartupMessages.Dashboard(configuration["ASPNETCORE_URLS"], configuration["AppHost:BrowserToken"]) : null;
                        foreach (var line in StartupMessages.Ready(facts.Settings, facts.Redis, dashboardAddress))
                        {
                            await Console.Out.WriteLineAsync(line);
                        }

                        break;
                    case ResourceChange.Unhealthy:
                        await Console.Error.WriteLineAsync(StartupMessages.Unhealthy(name, snapshot.HealthReports));
                        break;
                    case ResourceChange.Recovered:
                        await Console.Out.WriteLineAsync(StartupMessages.Recovered(name));
                        break;
                    case ResourceChange.StoppedOnRequest:
                        await Console.Out.WriteLineAsync(StartupMessages.StoppedOnRequest(name));
                        break;
                    case ResourceChange.Died when update.Resource.RestartsOnExit():
                        var cause = await ReadReasonAsync(update.Resource, stoppingToken);
                        if (lifetime.ApplicationStopping.IsCancellationRequested)
                        {
                            return;
                        }

                        await Console.Error.WriteLineAsync(StartupMessages.Died(name, snapshot.ExitCode, cause));
                        break;
                    case ResourceChange.Stopped or ResourceChange.Died:
                        var reason = await ReadReasonAsync(update.Resource, stoppingToken);
                        if (lifetime.ApplicationStopping.IsCancellationRequested)
                        {
                            return;
                        }

                        await Console.Error.WriteLineAsync(StartupMessages.Stopped(name, snapshot.State?.Text, snapshot.ExitCode, reason, dashboard));
                        if (!dashboard)
                        {
                            ExitCode = 1;
                            lifetime.StopApplication();
                            return;
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The console is a courtesy: losing it must not stop the registry (a background
            // service that throws stops the host).
            await Console.Error.WriteLineAsync($"warning: the AppHost no longer reports on its resources: {e.Message}");
        }
    }

    /// <summary>Reads what the resource logged (DCP keeps it after the process exits) for the line that says why it stopped.</summary>
    private async Task<string?> ReadReasonAsync(IResource resource, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(LogReadTimeout);
        var reason = new FailureReason();
        try
        {
            await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(timeout.Token))
            {
                foreach (var line in batch)
                {
                    reason.Add(line);
                }
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // What was read so far will do.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // No log to read (DCP could not be asked): the exit code alone is said.
        }

        return reason.Text;
    }
}

internal static class StartupConsoleExtensions
{
    /// <summary>Replaces the health checks' failure logs with <see cref="StartupConsole"/>'s lines.</summary>
    public static IDistributedApplicationBuilder AddStartupConsole(this IDistributedApplicationBuilder builder, StartupFacts facts)
    {
        builder.Services.AddLogging(logging => logging.AddFilter(StartupConsole.HealthCheckLogCategory, LogLevel.None));
        builder.Services.AddSingleton(facts);
        builder.Services.AddSingleton<StartupConsole>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StartupConsole>());
        return builder;
    }
}
