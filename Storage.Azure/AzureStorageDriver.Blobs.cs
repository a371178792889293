using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace RegistryCloud.Storage.Azure;

/// <summary>The blob-level steps the driver's operations, writers and locks share.</summary>
public sealed partial class AzureStorageDriver
{
    /// <summary>The first blob whose name starts with <paramref name="prefix"/>, other than <paramref name="except"/>.</summary>
    internal async Task<BlobItem?> FirstUnderAsync(string prefix, string? except, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var page in _access.Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).AsPages(pageSizeHint: 2).ConfigureAwait(false))
            {
                foreach (var item in page.Values)
                {
                    if (item.Name != except)
                    {
                        return item;
                    }
                }
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound.ToString())
        {
        }

        return null;
    }

    /// <summary>
    /// Deletes one blob (and its snapshots). A blob leased by a lock this driver holds is deleted
    /// under that lease; one leased elsewhere has its lease broken first, as unlinking a locked file
    /// does not wait for its lock.
    /// </summary>
    internal async Task<bool> DeleteBlobAsync(string name, CancellationToken cancellationToken)
    {
        var blob = Blob(name);
        var lease = _locks.HeldLease(name);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var conditions = lease is null ? null : new BlobRequestConditions { LeaseId = lease };
                var result = await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, conditions, cancellationToken).ConfigureAwait(false);
                return result.Value;
            }
            catch (RequestFailedException e) when (e.Status == 412 && e.ErrorCode?.StartsWith("Lease", StringComparison.Ordinal) == true && attempt < 3)
            {
                await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);
                lease = null;
            }
        }
    }

    /// <summary>Runs a write, creating the container first when it is missing (as Distribution's driver does at start).</summary>
    internal async Task<T> WithContainerAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound.ToString())
        {
            await _access.Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return await write().ConfigureAwait(false);
        }
    }
}
