using System.Globalization;
using System.Text;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Uploads;

/// <summary>
/// Removes a repository's upload sessions started before a cutoff (Distribution's upload purging),
/// except one a request holds: an old session still being written to is not abandoned, and
/// deleting it under its writer would lose bytes already answered 202.
/// </summary>
public static class UploadPurge
{
    public static async Task<PurgeResult> PurgeAsync(
        IStorageDriver driver, string repository, DateTimeOffset cutoff, bool dryRun, Action<string>? emit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driver);
        var (purged, kept) = (0, 0);
        foreach (var upload in await driver.ListAsync(RegistryPaths.UploadsDirectory(repository), cancellationToken))
        {
            var id = StoragePath.FileName(upload);
            if (!StoragePath.IsValid(upload) || await StartedAtAsync(driver, repository, id, cancellationToken) >= cutoff)
            {
                kept++;
                continue;
            }

            if (dryRun)
            {
                emit?.Invoke($"{repository}: upload session eligible for deletion: {id}");
                purged++;
                continue;
            }

            using var session = await driver.TryLockAsync(RegistryPaths.UploadLock(repository, id), cancellationToken);
            if (session.Status == StorageLockStatus.Busy)
            {
                kept++;
                continue;
            }

            emit?.Invoke($"{repository}: deleting upload session {id}");
            await driver.DeleteAsync(upload, cancellationToken);
            purged++;
        }

        return new PurgeResult(purged, kept);
    }

    /// <summary>The session's <c>startedat</c>; a session without a readable one counts from its last change.</summary>
    private static async Task<DateTimeOffset> StartedAtAsync(IStorageDriver driver, string repository, string id, CancellationToken cancellationToken)
    {
        var content = await driver.GetContentAsync(RegistryPaths.UploadStartedAt(repository, id), cancellationToken);
        if (content is not null
            && DateTimeOffset.TryParse(Encoding.UTF8.GetString(content).Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var startedAt))
        {
            return startedAt;
        }

        return (await driver.StatAsync(RegistryPaths.UploadDirectory(repository, id), cancellationToken))?.ModifiedAt ?? DateTimeOffset.MinValue;
    }
}

public readonly record struct PurgeResult(int Purged, int Kept);
