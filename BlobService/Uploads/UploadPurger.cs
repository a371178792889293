using RegistryCloud.Configuration;
using RegistryCloud.Lifecycle.Uploads;
using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Uploads;

/// <summary>
/// <c>storage.maintenance.uploadpurging</c>: every <c>interval</c>, upload sessions started more
/// than <c>age</c> ago are deleted (or, with <c>dryrun</c>, only logged), as Distribution does
/// (<see cref="UploadPurge"/>; a session a request holds is kept). Every replica may run it;
/// deleting an already deleted session is harmless.
/// </summary>
internal sealed partial class UploadPurger(
    IStorageDriver driver,
    RegistryConfiguration configuration,
    TimeProvider time,
    ILogger<UploadPurger> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var purging = configuration.Storage.UploadPurging;
        // With the garbage collector on, its runs purge the sessions and count them with the rest.
        if (!purging.Enabled || purging.Interval <= TimeSpan.Zero || configuration.Gc.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(purging.Interval, time);
        do
        {
            try
            {
                var result = await PurgeAsync(time.GetUtcNow() - purging.Age, purging.DryRun, stoppingToken);
                LogPurged(logger, result.Purged, result.Kept, purging.DryRun);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deletes (or with <paramref name="dryRun"/> counts) the sessions started before <paramref name="cutoff"/>.</summary>
    public async Task<PurgeResult> PurgeAsync(DateTimeOffset cutoff, bool dryRun, CancellationToken cancellationToken)
    {
        var (purged, kept) = (0, 0);
        await foreach (var repository in RepositoryWalker.WalkAsync(driver, cancellationToken))
        {
            if (repository.HasUploads)
            {
                var result = await UploadPurge.PurgeAsync(
                    driver, repository.Name, cutoff, dryRun, line => LogWouldPurge(logger, line), cancellationToken);
                purged += result.Purged;
                kept += result.Kept;
            }
        }

        return new PurgeResult(purged, kept);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload purging: {Purged} stale sessions (dry run: {DryRun}), {Kept} kept")]
    private static partial void LogPurged(ILogger logger, int purged, int kept, bool dryRun);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload purging: {Action}")]
    private static partial void LogWouldPurge(ILogger logger, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload purging failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
