using System.Runtime.CompilerServices;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle;

/// <summary>
/// Every blob directory of the store (<c>blobs/&lt;algorithm&gt;/&lt;prefix&gt;/&lt;hex&gt;</c>), listed
/// with the driver alone, so the walk is the same on a filesystem and on object storage: the
/// collector's blob sweep, the scrubber and the storage count each go through it.
/// </summary>
public static class BlobDirectories
{
    /// <summary>
    /// Each directory with the digest its path names (null when the names are not a digest).
    /// <paramref name="perPrefix"/>, when given, is paced before each prefix is listed.
    /// </summary>
    public static async IAsyncEnumerable<(string Directory, Digest? Digest)> ListAsync(
        IStorageDriver driver, Pacer? perPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driver);
        foreach (var algorithm in await driver.ListAsync(RegistryPaths.BlobsRoot, cancellationToken))
        {
            foreach (var prefix in await driver.ListAsync(algorithm, cancellationToken))
            {
                if (perPrefix is not null)
                {
                    await perPrefix.PaceAsync(cancellationToken);
                }

                foreach (var directory in await driver.ListAsync(prefix, cancellationToken))
                {
                    yield return (directory, Digest.TryParse(StoragePath.FileName(algorithm) + ":" + StoragePath.FileName(directory), out var digest) ? digest : null);
                }
            }
        }
    }
}
