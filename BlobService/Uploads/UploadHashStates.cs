using System.Globalization;
using RegistryCloud.BlobService.Extensions;
using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Uploads;

/// <summary>
/// The running hash of an upload, saved with the session after every request that wrote to it
/// (<c>hashstates/&lt;alg&gt;/&lt;offset&gt;</c>, as Distribution saves it), so the next request, on
/// any replica, hashes only what it adds. A state is saved only for bytes already durable in the
/// session's data, and only by the request that holds the session's lock; bytes written after the
/// newest state (a request that died before saving one) are read back and hashed, and counted in
/// <c>registry.uploads.rehashed_bytes</c>.
/// </summary>
internal sealed class UploadHashStates(IStorageDriver driver, BlobServiceMetrics metrics)
{
    /// <summary>
    /// The running hash over the session's first <paramref name="size"/> bytes, and the offset of the
    /// saved state it grew from (0 when none), which <see cref="SaveAsync"/> replaces.
    /// </summary>
    public async Task<(ResumableHash Hash, long SavedAt)> ResumeAsync(string repository, string id, string algorithm, long size, CancellationToken cancellationToken)
    {
        var hash = size > 0 ? await RestoreAsync(repository, id, algorithm, size, cancellationToken) : null;
        hash ??= ResumableHash.Create(algorithm);
        var savedAt = hash.Length;
        if (hash.Length == size)
        {
            return (hash, savedAt);
        }

        try
        {
            var stream = await driver.OpenReadAsync(RegistryPaths.UploadData(repository, id), hash.Length, cancellationToken)
                ?? throw new InvalidOperationException($"Upload {id} has no data file.");
            await using (stream)
            {
                var gap = size - hash.Length;
                await BodyCopier.HashPrefixAsync(stream, gap, hash, cancellationToken);
                metrics.BytesRehashed(gap);
            }

            return (hash, savedAt);
        }
        catch
        {
            hash.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Saves the hash as the session's newest state and drops the one it grew from. The caller holds
    /// the session's lock and has made the bytes the hash covers durable.
    /// </summary>
    public async Task SaveAsync(string repository, string id, ResumableHash hash, long savedAt, CancellationToken cancellationToken)
    {
        if (!hash.CanSave || hash.Length == savedAt)
        {
            return;
        }

        await driver.PutContentAsync(RegistryPaths.UploadHashState(repository, id, hash.Algorithm, hash.Length), hash.SaveState(), cancellationToken);
        if (savedAt > 0)
        {
            await driver.DeleteAsync(RegistryPaths.UploadHashState(repository, id, hash.Algorithm, savedAt), cancellationToken);
        }
    }

    /// <summary>The newest saved state at or below <paramref name="size"/>, or null when there is none that reads back.</summary>
    private async Task<ResumableHash?> RestoreAsync(string repository, string id, string algorithm, long size, CancellationToken cancellationToken)
    {
        long newest = 0;
        foreach (var path in await driver.ListAsync(RegistryPaths.UploadHashStates(repository, id, algorithm), cancellationToken))
        {
            // A state past the data's end describes bytes that never became durable: never used.
            if (long.TryParse(StoragePath.FileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                && offset <= size && offset > newest)
            {
                newest = offset;
            }
        }

        if (newest == 0
            || await driver.GetContentAsync(RegistryPaths.UploadHashState(repository, id, algorithm, newest), cancellationToken) is not { } state)
        {
            return null;
        }

        var hash = ResumableHash.Restore(algorithm, state);
        if (hash is not null && hash.Length != newest)
        {
            // A file named for one offset holding the state of another is not to be trusted.
            hash.Dispose();
            return null;
        }

        return hash;
    }
}
