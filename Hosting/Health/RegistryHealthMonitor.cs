using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RegistryCloud.Hosting.Health;

/// <summary>
/// Runs every configured check on its own interval, in the background: a probe request to
/// <c>/health</c> reads the last result and never dials out itself. Each check runs once at
/// start-up, so a service that starts on a broken root is out of rotation at once, then every
/// interval; a change of state is logged.
/// </summary>
public sealed partial class RegistryHealthMonitor(RegistryHealthChecks checks, TimeProvider time, ILogger<RegistryHealthMonitor> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(checks.Checks.Select(check => RunAsync(check, stoppingToken)));

    private async Task RunAsync(PeriodicHealthCheck check, CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Intervals run from start to start, as a ticker's do: a slow probe does not push
                // every later run back by its own duration.
                var due = time.GetUtcNow() + check.Interval;
                await check.RunOnceAsync(stoppingToken).ConfigureAwait(false);
                var nowFailing = check.ConsecutiveFailures >= Math.Max(1, check.Threshold);
                if (nowFailing != failing)
                {
                    if (nowFailing)
                    {
                        LogUnhealthy(logger, check.Name, check.ConsecutiveFailures, check.LastFailure);
                    }
                    else
                    {
                        LogHealthy(logger, check.Name);
                    }

                    failing = nowFailing;
                }

                var wait = due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Health check {Check} is failing after {Failures} consecutive failures: {Failure}")]
    private static partial void LogUnhealthy(ILogger logger, string check, int failures, string? failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Health check {Check} is healthy again")]
    private static partial void LogHealthy(ILogger logger, string check);
}
