using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;

namespace RegistryCloud.Storage.S3;

/// <summary>
/// A writer onto one object. The object at the key is always whole: bytes written reach S3 as
/// parts of a multipart upload (one chunk buffered, one more in flight, so memory stays near two
/// chunk sizes whatever the upload's size), and the commit's CompleteMultipartUpload (or one
/// PutObject, for an object that fits in a chunk) replaces the object in one step. An appending
/// writer starts the new object with the old one's bytes: copied server-side as parts when it is at
/// least S3's 5 MiB part minimum, read into the first chunk when smaller. Another replica that opens
/// the file afterwards finds the committed object, so its size is the offset to resume from.
/// A writer disposed without a commit leaves the object as its last commit left it.
/// </summary>
internal sealed class S3Writer : IStorageWriter
{
    /// <summary>S3's limit on the parts of one multipart upload.</summary>
    private const int MaximumParts = 10_000;

    private readonly S3StorageDriver _driver;
    private readonly string _key;
    private readonly int _chunkSize;
    private readonly List<PartETag> _parts = [];

    private long _committedSize;
    private string _committedETag;
    private bool _basePending;
    private long _written;
    private byte[] _buffer;
    private int _count;
    private byte[]? _spare;
    private string? _uploadId;
    private int _nextPart = 1;
    private Task<PartETag>? _inflight;
    private byte[]? _inflightBuffer;
    private bool _disposed;

    public S3Writer(S3StorageDriver driver, string key, long committedSize, string committedETag)
    {
        _driver = driver;
        _key = key;
        _chunkSize = driver.Options.ChunkSize;
        _committedSize = committedSize;
        _committedETag = committedETag;
        _basePending = committedSize > 0;
        _buffer = ArrayPool<byte>.Shared.Rent(_chunkSize);
    }

    public long Size => _committedSize + _written;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (data.IsEmpty)
        {
            return;
        }

        if (_basePending)
        {
            await IncludeCommittedBytesAsync(cancellationToken);
        }

        while (!data.IsEmpty)
        {
            var take = Math.Min(data.Length, _chunkSize - _count);
            data.Span[..take].CopyTo(_buffer.AsSpan(_count));
            _count += take;
            _written += take;
            data = data[take..];
            if (_count == _chunkSize)
            {
                await SendChunkAsync(cancellationToken);
            }
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_written == 0)
        {
            // Nothing since the last commit: the object already holds every byte.
            return;
        }

        string etag;
        if (_uploadId is null)
        {
            etag = (await _driver.PutObjectAsync(_key, _buffer.AsMemory(0, _count), cancellationToken)).ETag;
        }
        else
        {
            if (_count > 0)
            {
                await SendChunkAsync(cancellationToken);
            }

            await DrainAsync();
            etag = (await _driver.CompleteAsync(_key, _uploadId, [.. _parts.OrderBy(part => part.PartNumber)], cancellationToken)).ETag;
        }

        // Later writes start a new object from this one, as a fresh appending writer would.
        _committedSize += _written;
        _committedETag = etag;
        _written = 0;
        _count = 0;
        _uploadId = null;
        _parts.Clear();
        _nextPart = 1;
        _basePending = _committedSize > 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_uploadId is not null)
        {
            try
            {
                await DrainAsync();
            }
            catch (Exception e) when (e is AmazonS3Exception or OperationCanceledException or IOException or HttpRequestException)
            {
                // The upload is abandoned below whatever became of its last part.
            }

            await _driver.AbortQuietlyAsync(_key, _uploadId);
        }

        ArrayPool<byte>.Shared.Return(_buffer);
        if (_spare is not null)
        {
            ArrayPool<byte>.Shared.Return(_spare);
        }
    }

    /// <summary>The committed object's bytes become the start of the new one.</summary>
    private async Task IncludeCommittedBytesAsync(CancellationToken cancellationToken)
    {
        _basePending = false;
        if (_committedSize >= S3StorageOptions.MinimumChunkSize && !_driver.PartCopyUnsupported)
        {
            await StartUploadAsync(cancellationToken);
            try
            {
                var copied = await _driver.CopyPartsAsync(_uploadId!, _key, _key, _committedETag, _committedSize, _nextPart, cancellationToken);
                _parts.AddRange(copied);
                _nextPart += copied.Count;
                return;
            }
            catch (AmazonS3Exception e) when (S3Errors.IsNotImplemented(e))
            {
                _driver.PartCopyIsUnsupported();
            }
        }

        // Small (or no part copy on this server): the bytes pass through the chunk buffer. The ETag
        // condition makes sure they are the bytes whose size this writer counts from.
        using var response = await _driver.GetObjectAsync(_key, 0, cancellationToken, _committedETag)
            ?? throw new IOException($"The object '{_key}' vanished while a writer appended to it.");
        var body = response.ResponseStream;
        while (true)
        {
            var read = await body.ReadAsync(_buffer.AsMemory(_count, _chunkSize - _count), cancellationToken);
            if (read == 0)
            {
                break;
            }

            _count += read;
            if (_count == _chunkSize)
            {
                await SendChunkAsync(cancellationToken);
            }
        }
    }

    private async Task StartUploadAsync(CancellationToken cancellationToken) =>
        _uploadId ??= (await _driver.Client.InitiateMultipartUploadAsync(_driver.NewMultipartUpload(_key), cancellationToken)).UploadId;

    /// <summary>Sends the buffered chunk as the next part, while the writer fills another buffer.</summary>
    private async Task SendChunkAsync(CancellationToken cancellationToken)
    {
        if (_nextPart > MaximumParts)
        {
            throw new IOException(
                $"The object '{_key}' would need more than {MaximumParts} parts of {_chunkSize} bytes; raise storage.s3.chunksize.");
        }

        await StartUploadAsync(cancellationToken);
        await DrainAsync();
        var chunk = _buffer;
        _inflightBuffer = chunk;
        // A part already cut is sent whatever becomes of the request: a body that breaks off
        // midway keeps what arrived, as on a disk, when the caller then commits (UploadStore does).
        _inflight = UploadPartAsync(chunk, _count, _nextPart++, CancellationToken.None);
        _buffer = _spare ?? ArrayPool<byte>.Shared.Rent(_chunkSize);
        _spare = null;
        _count = 0;
    }

    /// <summary>Waits for the part in flight; its buffer becomes the spare.</summary>
    private async Task DrainAsync()
    {
        if (_inflight is not { } inflight)
        {
            return;
        }

        _inflight = null;
        try
        {
            _parts.Add(await inflight);
        }
        finally
        {
            _spare = _inflightBuffer;
            _inflightBuffer = null;
        }
    }

    private async Task<PartETag> UploadPartAsync(byte[] chunk, int length, int number, CancellationToken cancellationToken)
    {
        var response = await _driver.Client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _driver.Bucket,
            Key = _key,
            UploadId = _uploadId,
            PartNumber = number,
            PartSize = length,
            InputStream = new MemoryStream(chunk, 0, length, writable: false),
            UseChunkEncoding = false,
        }, cancellationToken);
        return new PartETag(number, response.ETag);
    }
}
