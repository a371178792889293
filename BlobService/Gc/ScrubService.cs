using RegistryCloud.BlobService.Blobs;
using RegistryCloud.Configuration;
using RegistryCloud.Events;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Lifecycle.Scrub;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Gc;

/// <summary>
/// <c>scrub.enabled</c>: every <c>scrub.interval</c> the replica that takes the scrub's lease
/// re-hashes every stored blob at no more than <c>scrub.ratelimit</c> bytes a second
/// (<see cref="Scrubber"/>). A blob whose bytes do not match its digest is moved into the
/// quarantine, forgotten by the descriptor cache, logged, counted (<c>registry.scrub.*</c>) and sent
/// as a <c>quarantine</c> event; the next push of the right bytes stores them again.
/// </summary>
internal sealed partial class ScrubService(
    IStorageDriver driver,
    IGcCoordinator coordinator,
    BlobStore blobs,
    RegistryEventRecorder events,
    RegistryConfiguration configuration,
    LifecycleMetrics metrics,
    TimeProvider time,
    ILogger<ScrubService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scrub = configuration.Scrub;
        if (!scrub.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(scrub.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RunOnceAsync(stoppingToken);
        }
    }

    /// <summary>One scrub, if this replica gets the lease; null when another replica holds it or the run failed.</summary>
    public async Task<ScrubReport?> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lease = await coordinator.TryAcquireRunAsync(GcJobs.Scrub, cancellationToken);
            if (lease is null)
            {
                return null;
            }

            await using (lease)
            {
                using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
                var scrubber = new Scrubber(driver, time, line => LogLine(logger, line), QuarantinedAsync);
                var report = await scrubber.RunAsync(new ScrubOptions { BytesPerSecond = configuration.Scrub.RateLimit }, run.Token);
                metrics.Scrubbed(report);
                return report;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogStopped(logger, "the run's lease could not be kept");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or GcCoordinatorUnavailableException)
        {
            LogStopped(logger, error.Message);
        }

        return null;
    }

    private async ValueTask QuarantinedAsync(Digest digest, long size, CancellationToken cancellationToken)
    {
        LogQuarantined(logger, digest.ToString(), size);
        await blobs.ForgetAsync(null, digest, cancellationToken);
        if (events.IsEnabled)
        {
            var origin = EventOrigin.Background(events.Factory.InstanceId, "registrycloud-scrub");
            await events.RecordBackgroundAsync(events.Factory.BlobQuarantined(origin, digest, size), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scrub: {Line}")]
    private static partial void LogLine(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scrub: blob {Digest} ({Size} bytes) did not hash to its digest and was quarantined; the next push of it stores it again")]
    private static partial void LogQuarantined(ILogger logger, string digest, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scrub stopped: {Reason}; the next run starts over")]
    private static partial void LogStopped(ILogger logger, string reason);
}
