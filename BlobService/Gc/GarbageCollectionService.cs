using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Operations;
using RegistryCloud.Configuration;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Gc;

/// <summary>
/// <c>gc.enabled</c>: the online garbage collector. At start and every <c>gc.interval</c> each
/// replica asks for the run lease (<see cref="IGcCoordinator"/>); the one that gets it collects
/// (<see cref="GarbageCollector"/>), while pushes go on, and the others skip that turn. Upload
/// sessions older than <c>storage.maintenance.uploadpurging.age</c> go in the same run. Each run is
/// logged, counted on the BlobService Meter (<see cref="LifecycleMetrics"/>) and recorded for
/// <c>GET /status</c> with the storage used its blob sweep counted (<see cref="LifecycleStatusStore"/>);
/// removed links and blobs are forgotten by the descriptor cache.
/// </summary>
internal sealed partial class GarbageCollectionService(
    IStorageDriver driver,
    IGcCoordinator coordinator,
    BlobStore blobs,
    RegistryConfiguration configuration,
    LifecycleMetrics metrics,
    LifecycleStatusStore status,
    TimeProvider time,
    ILogger<GarbageCollectionService> logger) : BackgroundService
{
    /// <summary>When this replica next tries a run (null with <c>gc.enabled</c> off).</summary>
    public DateTimeOffset? NextRunAt { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var gc = configuration.Gc;
        if (!gc.Enabled)
        {
            return;
        }

        LogEnabled(logger, gc.Interval, gc.Delay, gc.DeleteUntagged, gc.DryRun);
        using var timer = new PeriodicTimer(gc.Interval, time);
        do
        {
            NextRunAt = time.GetUtcNow() + gc.Interval;
            await RunOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One collection, if this replica gets the lease; null when another replica holds it or the run failed.</summary>
    public async Task<GcReport?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        try
        {
            var lease = await coordinator.TryAcquireRunAsync(GcJobs.Collect, cancellationToken);
            if (lease is null)
            {
                LogBusy(logger);
                return null;
            }

            await using (lease)
            {
                using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
                var collector = new GarbageCollector(driver, coordinator, time, line => LogLine(logger, line), blobs.ForgetAsync);
                var report = await collector.RunAsync(Options(), run.Token);
                metrics.Completed(report);
                await RecordAsync(report);
                LogCompleted(
                    logger, report.DryRun, report.Duration.TotalSeconds, report.Repositories, report.ManifestsMarked, report.ManifestsRemoved,
                    report.BlobsMarked, report.BlobsRemoved, report.LinksRemoved, report.BytesReclaimed, report.UploadsPurged, report.TagsRemoved, report.Restored, report.Errors);
                return report;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.Failed();
            LogLeaseLost(logger);
            await status.RecordRunAsync(Failed(started, "the run's lease could not be kept"));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or GcCoordinatorUnavailableException)
        {
            metrics.Failed();
            LogFailed(logger, error.Message);
            await status.RecordRunAsync(Failed(started, error.Message));
        }

        return null;
    }

    private async Task RecordAsync(GcReport report)
    {
        var finished = time.GetUtcNow();
        await status.RecordRunAsync(new GcRun(
            report.StartedAt, finished, report.DryRun ? "dry_run" : "ok", null, report.BlobsRemoved, report.BytesReclaimed, report.ManifestsRemoved, report.Errors));
        await status.RecordStorageAsync(new StorageUsed(report.StoredBytes, report.StoredBlobs, finished, "gc"));
    }

    private GcRun Failed(DateTimeOffset started, string error) => new(started, time.GetUtcNow(), "failed", error, 0, 0, 0, 0);

    private GcOptions Options()
    {
        var purging = configuration.Storage.UploadPurging;
        return new GcOptions
        {
            Delay = configuration.Gc.Delay,
            DeleteUntagged = configuration.Gc.DeleteUntagged,
            DryRun = configuration.Gc.DryRun,
            UploadAge = purging.Enabled ? purging.Age : null,
            Policies = configuration.Policies,
            DutyCycle = configuration.Gc.DutyCycle,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Garbage collection every {Interval}, grace period {Delay}, delete untagged: {DeleteUntagged}, dry run: {DryRun}")]
    private static partial void LogEnabled(ILogger logger, TimeSpan interval, TimeSpan delay, bool deleteUntagged, bool dryRun);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Garbage collection: another replica holds the run")]
    private static partial void LogBusy(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Garbage collection: {Line}")]
    private static partial void LogLine(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Garbage collection (dry run: {DryRun}) took {Seconds:F1}s over {Repositories} repositories: {ManifestsMarked} manifests marked, "
            + "{ManifestsRemoved} removed; {BlobsMarked} blobs kept, {BlobsRemoved} removed, {LinksRemoved} links removed, {Bytes} bytes reclaimed, "
            + "{Uploads} upload sessions purged, {Tags} tags removed by retention, {Restored} removals undone for requests that relied on them, {Errors} errors")]
    private static partial void LogCompleted(
        ILogger logger, bool dryRun, double seconds, int repositories, int manifestsMarked, int manifestsRemoved,
        int blobsMarked, int blobsRemoved, int linksRemoved, long bytes, int uploads, int tags, int restored, int errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Garbage collection stopped: the run's lease could not be kept; the next run starts over")]
    private static partial void LogLeaseLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Garbage collection failed: {Reason}; the next run starts over")]
    private static partial void LogFailed(ILogger logger, string reason);
}
