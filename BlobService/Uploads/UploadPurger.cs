using System.Globalization;
using System.Text;
using RegistryCloud.Configuration;
using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Uploads;

/// <summary>
/// <c>storage.maintenance.uploadpurging</c>: every <c>interval</c>, upload sessions started more
/// than <c>age</c> ago are deleted (or, with <c>dryrun</c>, only logged), as Distribution does.
/// Every replica may run it; deleting an already deleted session is harmless.
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
        if (!purging.Enabled || purging.Interval <= TimeSpan.Zero)
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
        var purged = 0;
        var kept = 0;
        var pending = new Stack<string>();
        pending.Push(RegistryPaths.RepositoriesRoot);
        while (pending.TryPop(out var directory))
        {
            foreach (var child in await driver.ListAsync(directory, cancellationToken))
            {
                var name = StoragePath.FileName(child);
                if (name == "_uploads")
                {
                    foreach (var upload in await driver.ListAsync(child, cancellationToken))
                    {
                        if (await StartedAtAsync(upload, cancellationToken) >= cutoff)
                        {
                            kept++;
                        }
                        else if (dryRun)
                        {
                            purged++;
                            LogWouldPurge(logger, upload);
                        }
                        else if (await TryPurgeAsync(upload, cancellationToken))
                        {
                            purged++;
                        }
                        else
                        {
                            kept++;
                        }
                    }
                }
                else if (!name.StartsWith('_'))
                {
                    pending.Push(child);
                }
            }
        }

        return new PurgeResult(purged, kept);
    }

    /// <summary>
    /// Deletes a stale session unless a request holds it: an old session still being written to is
    /// not abandoned, and deleting it under a writer would lose bytes already answered 202.
    /// </summary>
    private async Task<bool> TryPurgeAsync(string upload, CancellationToken cancellationToken)
    {
        using var session = await driver.TryLockAsync(upload + "/lock", cancellationToken);
        if (session.Status == StorageLockStatus.Busy)
        {
            return false;
        }

        await driver.DeleteAsync(upload, cancellationToken);
        return true;
    }

    /// <summary>The session's <c>startedat</c>; a session without a readable one counts from its last change.</summary>
    private async Task<DateTimeOffset> StartedAtAsync(string upload, CancellationToken cancellationToken)
    {
        var content = await driver.GetContentAsync(upload + "/startedat", cancellationToken);
        if (content is not null
            && DateTimeOffset.TryParse(Encoding.UTF8.GetString(content).Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var startedAt))
        {
            return startedAt;
        }

        return (await driver.StatAsync(upload, cancellationToken))?.ModifiedAt ?? DateTimeOffset.MinValue;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload purging: {Purged} stale sessions (dry run: {DryRun}), {Kept} kept")]
    private static partial void LogPurged(ILogger logger, int purged, int kept, bool dryRun);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload purging (dry run) would delete {Upload}")]
    private static partial void LogWouldPurge(ILogger logger, string upload);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload purging failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}

internal readonly record struct PurgeResult(int Purged, int Kept);
