using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace RegistryCloud.Storage.Azure;

/// <summary>
/// <see cref="IStorageDriver.TryLockAsync"/> on Azure: the lock is a lease on the lock blob, which
/// the service grants to one holder at a time, whichever replica asks. A held lease is renewed in
/// the background and released on dispose; a holder that dies stops renewing, and its lease lapses
/// after <see cref="AzureStorageDriverOptions.LeaseDuration"/>.
/// </summary>
internal sealed class AzureLeaseLocks(AzureStorageDriver driver, TimeSpan duration, TimeProvider time)
{
    /// <summary>Lease ids of the locks held through this driver, by blob name, so its own deletes can pass them.</summary>
    private readonly ConcurrentDictionary<string, string> _held = new(StringComparer.Ordinal);

    public string? HeldLease(string name) => _held.TryGetValue(name, out var lease) ? lease : null;

    public async Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken)
    {
        var name = driver.BlobName(path);
        var directory = driver.DirectoryPrefix(StoragePath.Parent(path));
        if (await driver.FirstUnderAsync(directory, except: name, cancellationToken).ConfigureAwait(false) is null)
        {
            return StorageLock.Missing;
        }

        var blob = driver.Blob(name);
        var lease = blob.GetBlobLeaseClient(Guid.NewGuid().ToString());
        var created = false;
        while (true)
        {
            try
            {
                await lease.AcquireAsync(duration, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.LeaseAlreadyPresent.ToString())
            {
                return StorageLock.Busy;
            }
            catch (RequestFailedException e) when (e.Status == 404 && !created)
            {
                // The first lock in this directory: make the lock blob (unless a racer just did).
                await CreateAsync(blob, cancellationToken).ConfigureAwait(false);
                created = true;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Deleted with its directory as soon as it was made.
                return StorageLock.Missing;
            }
        }

        // A delete of the directory may have run between the check and the lock blob's creation,
        // which then made the directory anew around a lock guarding nothing: take it back out.
        if (created && await driver.FirstUnderAsync(directory, except: name, cancellationToken).ConfigureAwait(false) is null)
        {
            await blob.DeleteIfExistsAsync(conditions: new BlobRequestConditions { LeaseId = lease.LeaseId }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return StorageLock.Missing;
        }

        _held[name] = lease.LeaseId;
        var renewal = new CancellationTokenSource();
        var renewing = RenewAsync(lease, renewal.Token);
        return StorageLock.Held(() => Release(name, lease, renewal, renewing));
    }

    private static async Task CreateAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var onlyIfAbsent = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
            await blob.UploadAsync(BinaryData.Empty, onlyIfAbsent, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already there (a racer made it, perhaps leased it): the lease decides.
        }
    }

    private async Task RenewAsync(BlobLeaseClient lease, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(duration / 3, time, cancellationToken).ConfigureAwait(false);
                await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            // The lock blob was deleted (its directory removed under the lock), its lease broken, or
            // the service unreachable past the SDK's retries: there is nothing left to renew.
        }
    }

    private void Release(string name, BlobLeaseClient lease, CancellationTokenSource renewal, Task renewing)
    {
        renewal.Cancel();
        renewing.GetAwaiter().GetResult();
        renewal.Dispose();
        _held.TryRemove(new KeyValuePair<string, string>(name, lease.LeaseId));
        try
        {
            // Synchronous: the next caller, here or on another replica, must find the lock free.
            lease.Release();
        }
        catch (RequestFailedException)
        {
            // Deleted with its directory or broken by a delete, it is already free; any other failure
            // leaves a lease nobody renews, which lapses by itself (a release must not fail a request).
        }
    }
}
