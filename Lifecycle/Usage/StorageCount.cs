using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Usage;

/// <summary>What a count of the store found: blobs with data, and their bytes.</summary>
public readonly record struct StoredBlobs(long Blobs, long Bytes);

/// <summary>
/// Storage used, counted by walking <c>blobs/</c>: a stat of every blob's <c>data</c>, each blob
/// once whichever repositories link it (uploads in progress are not blobs yet). Only the driver's
/// listing and stat, so it counts the same on a filesystem and on object storage, where folders
/// exist only through their files; a stat per blob, so callers run it seldom and paced.
/// </summary>
public static class StorageCount
{
    public static async Task<StoredBlobs> CountAsync(IStorageDriver driver, Pacer pacer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(pacer);
        long blobs = 0, bytes = 0;
        await foreach (var (directory, _) in BlobDirectories.ListAsync(driver, perPrefix: null, cancellationToken))
        {
            await pacer.PaceAsync(cancellationToken);
            if (await driver.StatAsync(directory + "/data", cancellationToken) is { IsDirectory: false } data)
            {
                blobs++;
                bytes += data.Size;
            }
        }

        return new StoredBlobs(blobs, bytes);
    }
}
