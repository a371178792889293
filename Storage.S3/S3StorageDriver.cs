using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RegistryCloud.Storage.S3;

/// <summary>
/// Distribution's <c>s3</c> driver on the AWS SDK: each file is an object whose key is the root
/// directory plus the path; directories exist only as the prefixes of their objects. A file is
/// replaced atomically: a put or a move makes the new object appear entire or not at all. A file
/// written by writers is pending (an open multipart upload and a record of it, committed in one
/// write) until a read or a move makes it one object. See README.md for appends, moves and locks.
/// </summary>
public sealed partial class S3StorageDriver : IStorageDriver, IDisposable
{
    private const int DeleteBatchSize = 1000;

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly S3Leases _leases;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    // Set once a server answers UploadPartCopy with NotImplemented (some S3-compatible servers):
    // appends then stream the old bytes through and moves copy in one CopyObject.
    private volatile bool _partCopyUnsupported;

    public S3StorageDriver(S3StorageOptions options, ILogger<S3StorageDriver>? logger = null, TimeProvider? time = null)
        : this(S3ClientFactory.Create(options), options, logger, time, ownsClient: true)
    {
    }

    internal S3StorageDriver(IAmazonS3 client, S3StorageOptions options, ILogger? logger, TimeProvider? time, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChunkSize < S3StorageOptions.MinimumChunkSize)
        {
            throw new ArgumentException($"The chunk size must be at least {S3StorageOptions.MinimumChunkSize} bytes.", nameof(options));
        }

        _client = client;
        _ownsClient = ownsClient;
        Options = options;
        ChunkBuffers = ArrayPool<byte>.Create(options.ChunkSize, ChunkBuffersKept);
        Keys = new S3Keys(options.RootDirectory);
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _leases = new S3Leases(this, _logger, _time);
    }

    public string Name => "s3";

    internal S3StorageOptions Options { get; }

    /// <summary>
    /// The writers' chunk buffers, kept apart from the shared array pool: that pool keeps a buffer
    /// per thread and eight per core, so chunk-sized buffers (written whole by a large upload)
    /// returned on whichever pool thread finished with them stayed resident by the dozen. Here at
    /// most <see cref="ChunkBuffersKept"/> wait for reuse; more in use at once are allocated and
    /// left to the GC.
    /// </summary>
    internal ArrayPool<byte> ChunkBuffers { get; }

    /// <summary>One writer's two buffers (filling, in flight) for two uploads at once.</summary>
    internal const int ChunkBuffersKept = 4;

    internal S3Keys Keys { get; }

    internal IAmazonS3 Client => _client;

    internal string Bucket => Options.Bucket;

    internal bool PartCopyUnsupported => _partCopyUnsupported;

    public async Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        var key = Keys.Of(path);
        if (await GetWholeAsync(key, cancellationToken) is { } whole)
        {
            return whole;
        }

        var (found, content) = await ReadablePendingAsync(key, cancellationToken);
        return !found ? null : content ?? await GetWholeAsync(key, cancellationToken);
    }

    public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        await PutObjectAsync(Keys.Of(path), content, cancellationToken);
    }

    public async Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var key = Keys.Of(path);
        if (await OpenWholeAsync(key, offset, cancellationToken) is { } whole)
        {
            return whole;
        }

        var (found, content) = await ReadablePendingAsync(key, cancellationToken);
        if (!found)
        {
            return null;
        }

        return content is null
            ? await OpenWholeAsync(key, offset, cancellationToken)
            : new MemoryStream(content, (int)Math.Min(offset, content.Length), content.Length - (int)Math.Min(offset, content.Length), writable: false);
    }

    public async Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        return await S3Writer.OpenAsync(this, Keys.Of(path), append, cancellationToken);
    }

    public async Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        var key = Keys.Of(path);
        if (await HeadAsync(key, cancellationToken) is { } file)
        {
            return new StorageEntry(path, file.ContentLength, ModifiedAt(file), IsDirectory: false);
        }

        if (await HeadAsync(PendingKey(key), cancellationToken) is { } pending)
        {
            return new StorageEntry(path, PendingSize(pending), pending.LastModified ?? default, IsDirectory: false);
        }

        var first = await FirstUnderAsync(Keys.DirectoryPrefix(path), cancellationToken);
        return first is null ? null : new StorageEntry(path, 0, first.LastModified ?? default, IsDirectory: true);
    }

    public async Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken)
    {
        if (path != "/")
        {
            StoragePath.Validate(path);
        }

        var prefix = Keys.DirectoryPrefix(path);
        var children = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, Delimiter = "/" };
        do
        {
            var page = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var common in page.CommonPrefixes ?? [])
            {
                children.Add(Keys.PathOf(common));
            }

            foreach (var item in page.S3Objects ?? [])
            {
                // A "folder" marker some tools write (the prefix itself) is not a child.
                if (item.Key.Length <= prefix.Length)
                {
                    continue;
                }

                // A pending file's record names the file, listed once even beside a leftover object
                // (which sorts before it).
                if (!item.Key.EndsWith(PendingSuffix, StringComparison.Ordinal))
                {
                    children.Add(Keys.PathOf(item.Key));
                }
                else if (Keys.PathOf(item.Key[..^PendingSuffix.Length]) is var file && !children.Contains(file))
                {
                    children.Add(file);
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);

        return children;
    }

    public async Task<bool> MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        StoragePath.Validate(sourcePath);
        StoragePath.Validate(destinationPath);
        var source = Keys.Of(sourcePath);
        var destination = Keys.Of(destinationPath);
        var stat = await HeadAsync(source, cancellationToken);
        if (stat is null)
        {
            if (await ReadPendingAsync(source, tail: null, cancellationToken) is not var (pending, tail))
            {
                return false;
            }

            if (source == destination)
            {
                return true;
            }

            if (pending.Parts.Count == 0)
            {
                // All of it is a tail: it goes into place in one put, as a rename would, keeping its time.
                await PutObjectAsync(destination, tail, cancellationToken, modifiedAt: pending.ModifiedAt);
                await DeleteAsync(sourcePath, cancellationToken);
                return true;
            }

            // An upload's data becoming a blob: the upload completes at its own key, then moves below.
            await SettleAsync(source, pending, tail, cancellationToken);
            stat = await HeadAsync(source, cancellationToken) ?? throw new IOException($"The object '{source}' vanished as it was moved.");
        }

        if (source == destination)
        {
            return true;
        }

        // The destination appears whole when the copy (or the multipart copy's completion) lands.
        await CopyAsync(source, stat.ETag, stat.ContentLength, destination, ModifiedAt(stat), cancellationToken);
        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = source }, cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        var key = Keys.Of(path);
        var keys = new List<string>(capacity: 1);
        // The file, its record and what lies below are asked for at once: a delete of one small
        // file (a hash state, every PATCH) waits for one round trip, not three.
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = key + "/" };
        var file = HeadAsync(key, cancellationToken);
        var record = HeadAsync(PendingKey(key), cancellationToken);
        var listing = _client.ListObjectsV2Async(request, cancellationToken);
        await Task.WhenAll(file, record, listing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (await file is not null)
        {
            keys.Add(key);
        }

        // A pending file's upload is aborted before its record goes: no record, no way to find it.
        if (await record is { } pending)
        {
            if (PendingUpload(pending) is { } upload)
            {
                await AbortQuietlyAsync(key, upload);
            }

            keys.Add(PendingKey(key));
        }

        var found = keys.Count > 0;
        do
        {
            var page = await listing;
            foreach (var item in page.S3Objects ?? [])
            {
                if (item.Key.EndsWith(PendingSuffix, StringComparison.Ordinal))
                {
                    await AbortPendingAsync(item.Key, cancellationToken);
                }

                keys.Add(item.Key);
                found = true;
                if (keys.Count == DeleteBatchSize)
                {
                    await DeleteBatchAsync(keys, cancellationToken);
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
            if (request.ContinuationToken is not null)
            {
                listing = _client.ListObjectsV2Async(request, cancellationToken);
            }
        }
        while (request.ContinuationToken is not null);

        await DeleteBatchAsync(keys, cancellationToken);
        return found;
    }

    public async Task<bool> DeleteIfEmptyAsync(string path, CancellationToken cancellationToken)
    {
        // Directories exist only through their objects, so there is nothing to remove: an "empty"
        // directory is one with no object at or below it, and the check is the whole operation.
        StoragePath.Validate(path);
        var key = Keys.Of(path);
        return await HeadAsync(key, cancellationToken) is null
            && await HeadAsync(PendingKey(key), cancellationToken) is null
            && await FirstUnderAsync(key + "/", cancellationToken) is null;
    }

    public async Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        var parent = StoragePath.Parent(path);
        return await _leases.TryAcquireAsync(Keys.Of(path), parent == "/" ? null : Keys.DirectoryPrefix(parent), cancellationToken);
    }

    public string? GetLocalFilePath(string path) => null;

    public async Task<Uri?> GetDownloadUrlAsync(string path, TimeSpan expiry, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        var url = await _client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = Keys.Of(path),
            Verb = HttpVerb.GET,
            Expires = _time.GetUtcNow().Add(expiry).UtcDateTime,
            Protocol = Options.Secure ? Protocol.HTTPS : Protocol.HTTP,
        });
        return new Uri(url);
    }

    /// <summary>
    /// Whether the server honours <c>If-None-Match: *</c> on PutObject, which the locks rely on
    /// across replicas (AWS S3 has since 2024): two conditional creates of one probe object.
    /// </summary>
    public Task<bool> HonoursConditionalWritesAsync(CancellationToken cancellationToken) =>
        _leases.ProbeConditionalWritesAsync(cancellationToken);

    public void Dispose()
    {
        _leases.Dispose();
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}
