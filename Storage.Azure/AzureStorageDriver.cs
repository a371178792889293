using System.Buffers;
using System.Globalization;
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
/// move copies the source into uncommitted blocks of the destination inside the service and
/// commits them in one call (<see cref="AzureServerCopy"/>), so the destination is the old file or
/// the whole new one, never part of it (a Copy Blob may instead stay pending, the destination half
/// written). Locks are blob leases (<see cref="AzureLeaseLocks"/>). What the service refuses
/// surfaces as an <see cref="IOException"/> (<see cref="AzureFailure"/>).
/// </para>
/// </summary>
public sealed partial class AzureStorageDriver : IStorageDriver
{
    private const int DeleteParallelism = 8;

    /// <summary>The metadata that keeps a moved blob's modification time.</summary>
    private const string ModifiedMetadata = "modified";

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
        ChunkBuffers = ArrayPool<byte>.Create(options.ChunkSize, ChunkBuffersKept);
        Copier = new AzureServerCopy(_access);
        _locks = new AzureLeaseLocks(this, options.LeaseDuration, _time);
    }

    public string Name => "azure";

    internal int ChunkSize { get; }

    /// <summary>
    /// The writers' block buffers, kept apart from the shared array pool, which keeps a buffer per
    /// thread and eight per core: block-sized buffers written whole stayed resident wherever a pool
    /// thread returned them (as the s3 driver's chunk buffers did; docs/performance.md). Here at most
    /// <see cref="ChunkBuffersKept"/> wait for reuse.
    /// </summary>
    internal ArrayPool<byte> ChunkBuffers { get; }

    /// <summary>One writer's buffers (filling, and two blocks in flight) for two uploads at once, rounded up.</summary>
    internal const int ChunkBuffersKept = 6;

    internal AzureServerCopy Copier { get; private set; }

    /// <summary>The range one server-side block copy takes (smaller in tests, to copy many blocks cheaply).</summary>
    internal long CopyBlockSize
    {
        get => Copier.BlockSize;
        init => Copier = new AzureServerCopy(_access) { BlockSize = value };
    }

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
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, "read", path);
        }
    }

    public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        // One Put Blob: the service replaces the content whole.
        var blob = Blob(BlobName(path));
        try
        {
            await WithContainerAsync(() => blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, "write", path);
        }
    }

    public async Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var blob = Blob(BlobName(path));
        try
        {
            return await AzureReadStream.OpenAsync(blob, offset, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, "read", path);
        }
    }

    public async Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken)
    {
        var name = BlobName(path);
        try
        {
            return await AzureBlobWriter.OpenAsync(this, name, append, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, "open for writing", path);
        }
    }

    public async Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken)
    {
        var name = BlobName(path);
        try
        {
            try
            {
                var properties = await Blob(name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return new StorageEntry(path, properties.Value.ContentLength, ModifiedAt(properties.Value), IsDirectory: false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }

            return await FirstUnderAsync(name + "/", except: null, cancellationToken).ConfigureAwait(false) is { } child
                ? new StorageEntry(path, 0, child.Properties.LastModified ?? DateTimeOffset.MinValue, IsDirectory: true)
                : null;
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, "stat", path);
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken)
    {
        var prefix = DirectoryPrefix(path);
        var children = new List<string>();
        try
        {
            // Every page: one hierarchical listing gives the files and the "directories" (prefixes).
            await foreach (var item in _access.Container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix, cancellationToken).ConfigureAwait(false))
            {
                children.Add(PathOf(item.IsPrefix ? item.Prefix.TrimEnd('/') : item.Blob.Name));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, "list", path);
        }

        return children;
    }

    public async Task<bool> MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        var sourceName = BlobName(sourcePath);
        var destinationName = BlobName(destinationPath);
        var source = Blob(sourceName);
        try
        {
            BlobProperties properties;
            try
            {
                properties = (await source.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return false;
            }

            if (sourceName != destinationName)
            {
                var kept = new Dictionary<string, string> { [ModifiedMetadata] = ModifiedAt(properties).ToString("O", CultureInfo.InvariantCulture) };
                await Copier.CopyAsync(source, properties, Block(destinationName), kept, cancellationToken).ConfigureAwait(false);
                await DeleteBlobAsync(sourceName, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, $"move '{sourcePath}' to", destinationPath);
        }
    }

    /// <summary>
    /// A file's modification time: when its bytes were last written, which a move keeps as a
    /// rename does (the collector tells a file written again meanwhile by it). A move commits a new
    /// blob, so the moved blob carries its source's time in its metadata.
    /// </summary>
    private static DateTimeOffset ModifiedAt(BlobProperties properties) =>
        properties.Metadata.TryGetValue(ModifiedMetadata, out var kept)
            && DateTimeOffset.TryParseExact(kept, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var modified)
            ? modified
            : properties.LastModified;

    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var name = BlobName(path);
        try
        {
            var deleted = await DeleteBlobAsync(name, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = DeleteParallelism, CancellationToken = cancellationToken };
            await foreach (var page in _access.Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, name + "/", cancellationToken).AsPages().ConfigureAwait(false))
            {
                await Parallel.ForEachAsync(page.Values, parallel, async (item, token) =>
                {
                    if (await DeleteBlobAsync(item.Name, token).ConfigureAwait(false))
                    {
                        Interlocked.Exchange(ref deleted, 1);
                    }
                }).ConfigureAwait(false);
            }

            return deleted == 1;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound.ToString())
        {
            return false;
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, "delete", path);
        }
    }

    public async Task<bool> DeleteIfEmptyAsync(string path, CancellationToken cancellationToken)
    {
        // Directories exist only through their blobs: an empty one is already gone (the contract's note).
        var name = BlobName(path);
        try
        {
            return !(await Blob(name).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value
                && await FirstUnderAsync(name + "/", except: null, cancellationToken).ConfigureAwait(false) is null;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound.ToString())
        {
            return true;
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, "delete", path);
        }
    }

    public async Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        try
        {
            return await _locks.TryLockAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, "lock", path);
        }
    }

    public string? GetLocalFilePath(string path) => null;

    public async Task<Uri?> GetDownloadUrlAsync(string path, TimeSpan expiry, CancellationToken cancellationToken)
    {
        var blob = Blob(BlobName(path));
        try
        {
            return await _access.ReadUrlAsync(blob, _time.GetUtcNow() + expiry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, "sign a download URL for", path);
        }
    }

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

    private string PathOf(string blobName) => "/" + blobName[_prefix.Length..];
}
