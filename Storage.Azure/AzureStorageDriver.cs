using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace RegistryCloud.Storage.Azure;

/// <summary>
/// Stores files as block blobs in one Azure Storage container, named as Distribution's azure
/// driver names them (the root directory, then the path without its leading slash), so either can
/// serve a container the other wrote. Directories exist only as prefixes of blob names.
/// <para>
/// Every file is a block blob, whose content changes only when a block list is committed, all at
/// once: a writer stages its bytes as blocks and commits them (<see cref="AzureBlobWriter"/>); a
/// move stages the source's ranges onto the destination server-side (Put Block From URL) and
/// commits them in one call, so the destination is the old file or the whole new one, never part
/// of it (a Copy Blob, by contrast, may stay pending with the destination half written).
/// Locks are blob leases (<see cref="AzureLeaseLocks"/>).
/// </para>
/// </summary>
public sealed class AzureStorageDriver : IStorageDriver
{
    /// <summary>The range one Put Block From URL copies; the service takes up to 4000 MiB, this keeps each call short.</summary>
    internal const long DefaultCopyBlockSize = 100L * 1024 * 1024;

    private const int CopyParallelism = 4;
    private const int DeleteParallelism = 8;

    private readonly AzureAccess _access;
    private readonly string _prefix;
    private readonly AzureLeaseLocks _locks;
    private readonly TimeProvider _time;

    public AzureStorageDriver(AzureStorageDriverOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChunkSize is < AzureStorageDriverOptions.MinimumChunkSize or > AzureStorageDriverOptions.MaximumChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"The chunk size must be between {AzureStorageDriverOptions.MinimumChunkSize} and {AzureStorageDriverOptions.MaximumChunkSize} bytes.");
        }

        _time = time ?? TimeProvider.System;
        _access = AzureAccess.Create(options, _time);
        var root = options.RootDirectory.Trim('/');
        _prefix = root.Length == 0 ? "" : root + "/";
        ChunkSize = options.ChunkSize;
        _locks = new AzureLeaseLocks(this, options.LeaseDuration, _time);
    }

    public string Name => "azure";

    internal int ChunkSize { get; }

    /// <summary>The range one server-side block copy takes (smaller in tests, to copy many blocks cheaply).</summary>
    internal long CopyBlockSize { get; init; } = DefaultCopyBlockSize;

    internal BlobContainerClient Container => _access.Container;

    public async Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken)
    {
        var blob = Blob(BlobName(path));
        try
        {
            var result = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        // One Put Blob: the service replaces the content whole.
        var blob = Blob(BlobName(path));
        return WithContainerAsync(() => blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken), cancellationToken);
    }

    public async Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var blob = Blob(BlobName(path));
        try
        {
            // One streamed GET of the rest; the SDK resumes a broken one at the same version (If-Match).
            var options = new BlobDownloadOptions { Range = offset == 0 ? default : new HttpRange(offset) };
            var result = await blob.DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false);
            return result.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // The blob is there; the offset is at or past its end.
            return new MemoryStream([], writable: false);
        }
    }

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken) =>
        AzureBlobWriter.OpenAsync(this, BlobName(path), append, cancellationToken);

    public async Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken)
    {
        var name = BlobName(path);
        try
        {
            var properties = await Blob(name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new StorageEntry(path, properties.Value.ContentLength, properties.Value.LastModified, IsDirectory: false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }

        return await FirstUnderAsync(name + "/", except: null, cancellationToken).ConfigureAwait(false) is { } child
            ? new StorageEntry(path, 0, child.Properties.LastModified ?? DateTimeOffset.MinValue, IsDirectory: true)
            : null;
    }

    public async Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken)
    {
        var prefix = DirectoryPrefix(path);
        var children = new List<string>();
        try
        {
            await foreach (var item in _access.Container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                children.Add(PathOf(item.IsPrefix ? item.Prefix.TrimEnd('/') : item.Blob.Name));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }

        return children;
    }

    public async Task<bool> MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        var sourceName = BlobName(sourcePath);
        var destinationName = BlobName(destinationPath);
        var source = Blob(sourceName);
        BlobProperties properties;
        try
        {
            properties = (await source.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }

        if (sourceName == destinationName)
        {
            return true;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await CopyAsync(source, properties, Block(destinationName), cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.InvalidBlockList.ToString() && attempt < 3)
            {
                // A concurrent move to the same destination (the same digest pushed twice) committed
                // first, and its commit discarded the blocks this one had staged: stage them again.
            }
        }

        await DeleteBlobAsync(sourceName, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var name = BlobName(path);
        var deleted = await DeleteBlobAsync(name, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = DeleteParallelism, CancellationToken = cancellationToken };
            await foreach (var page in _access.Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, name + "/", cancellationToken: cancellationToken).AsPages().ConfigureAwait(false))
            {
                await Parallel.ForEachAsync(page.Values, parallel, async (item, token) =>
                {
                    if (await DeleteBlobAsync(item.Name, token).ConfigureAwait(false))
                    {
                        Interlocked.Exchange(ref deleted, 1);
                    }
                }).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No container: nothing below.
        }

        return deleted == 1;
    }

    public async Task<bool> DeleteIfEmptyAsync(string path, CancellationToken cancellationToken)
    {
        // Directories exist only through their blobs: an empty one is already gone (the contract's note).
        var name = BlobName(path);
        try
        {
            if ((await Blob(name).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                return false;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }

        return await FirstUnderAsync(name + "/", except: null, cancellationToken).ConfigureAwait(false) is null;
    }

    public Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken) =>
        _locks.TryLockAsync(path, cancellationToken);

    public string? GetLocalFilePath(string path) => null;

    public Task<Uri?> GetDownloadUrlAsync(string path, TimeSpan expiry, CancellationToken cancellationToken) =>
        _access.ReadUrlAsync(Blob(BlobName(path)), _time.GetUtcNow() + expiry, cancellationToken);

    /// <summary>The blob name of a path: Distribution's, the root directory then the path without its leading slash.</summary>
    internal string BlobName(string path)
    {
        StoragePath.Validate(path);
        return _prefix + path[1..];
    }

    /// <summary>The prefix every blob below a directory starts with.</summary>
    internal string DirectoryPrefix(string path) => path == "/" ? _prefix : BlobName(path) + "/";

    internal BlobClient Blob(string name) => _access.Container.GetBlobClient(name);

    internal BlockBlobClient Block(string name) => _access.Container.GetBlockBlobClient(name);

    /// <summary>The first blob whose name starts with <paramref name="prefix"/>, other than <paramref name="except"/>.</summary>
    internal async Task<BlobItem?> FirstUnderAsync(string prefix, string? except, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var page in _access.Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken: cancellationToken).AsPages(pageSizeHint: 2).ConfigureAwait(false))
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
        catch (RequestFailedException e) when (e.Status == 404)
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

    /// <summary>The source's committed bytes become the destination's, all at once, by a server-side copy.</summary>
    internal async Task CopyAsync(BlobClient source, BlobProperties properties, BlockBlobClient destination, CancellationToken cancellationToken)
    {
        var blocks = await StageCopyAsync(source, properties.ContentLength, properties.ETag, destination, cancellationToken).ConfigureAwait(false);
        await destination.CommitBlockListAsync(blocks, new CommitBlockListOptions(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stages the first <paramref name="length"/> bytes of <paramref name="source"/> (at version
    /// <paramref name="version"/>) as uncommitted blocks of <paramref name="destination"/>, copied by
    /// the service; returns their ids in order.
    /// </summary>
    internal async Task<List<string>> StageCopyAsync(BlobClient source, long length, ETag version, BlockBlobClient destination, CancellationToken cancellationToken)
    {
        var count = (int)((length + CopyBlockSize - 1) / CopyBlockSize);
        var ids = new string[count];
        if (count > 0)
        {
            var (uri, authorization) = await _access.CopySourceAsync(source, cancellationToken).ConfigureAwait(false);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = CopyParallelism, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (index, token) =>
            {
                var offset = index * CopyBlockSize;
                var id = AzureBlobWriter.NewBlockId();
                await destination.StageBlockFromUriAsync(uri, id, new StageBlockFromUriOptions
                {
                    SourceRange = new HttpRange(offset, Math.Min(CopyBlockSize, length - offset)),
                    SourceConditions = new RequestConditions { IfMatch = version },
                    SourceAuthentication = authorization,
                }, token).ConfigureAwait(false);
                ids[index] = id;
            }).ConfigureAwait(false);
        }

        return [.. ids];
    }

    private string PathOf(string blobName) => "/" + blobName[_prefix.Length..];
}
