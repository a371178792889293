using Amazon.S3;
using Amazon.S3.Model;

namespace RegistryCloud.Storage.S3;

/// <summary>
/// A writer onto a pending file (see <c>S3StorageDriver.Pending.cs</c>): full chunks go up as parts
/// of the file's multipart upload while the next fills (one chunk buffered, one in flight, so memory
/// stays near two chunk sizes whatever the upload's size), and a commit writes the record naming
/// those parts and the tail below S3's part minimum. An appending writer starts from the record (its
/// tail back in the buffer), so each byte goes up once however many requests the file takes. On a
/// whole object (a file put whole, or one a read settled) the first commit starts a new upload with
/// the object's bytes (UploadPartCopy when at least 5 MiB, else through the buffer) and removes the
/// object once the record holds them. A writer disposed without a commit leaves the file as the last
/// commit left it: parts sent since are named by no record and are replaced or dropped later.
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
    private long _written;
    private byte[] _buffer;
    private int _count;
    private byte[]? _spare;
    private string? _uploadId;
    private bool _uploadRecorded;
    private int _nextPart = 1;
    private string? _pendingETag;
    private string? _objectETag;
    private bool _basePending;
    private string? _staleUpload;
    private Task<PartETag>? _inflight;
    private byte[]? _inflightBuffer;
    private bool _disposed;

    private S3Writer(S3StorageDriver driver, string key)
    {
        _driver = driver;
        _key = key;
        _chunkSize = driver.Options.ChunkSize;
        _buffer = driver.ChunkBuffers.Rent(_chunkSize);
    }

    public long Size => _committedSize + _written;

    public static async Task<IStorageWriter> OpenAsync(S3StorageDriver driver, string key, bool append, CancellationToken cancellationToken)
    {
        var writer = new S3Writer(driver, key);
        try
        {
            await writer.OpenAsync(append, cancellationToken);
            return writer;
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (data.IsEmpty)
        {
            return;
        }

        if (_basePending)
        {
            await IncludeObjectAsync(cancellationToken);
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
            // Nothing since the last commit: the file already holds every byte.
            return;
        }

        // A tail of at least the part minimum may be a part (parts but the last may be any size from
        // there); a smaller one stays in the record and in the buffer.
        if (_count >= S3StorageOptions.MinimumChunkSize)
        {
            await SendChunkAsync(cancellationToken);
        }

        await DrainAsync();
        _pendingETag = await _driver.WritePendingAsync(_key, _uploadId, _parts, Size, _buffer.AsMemory(0, _count), _pendingETag, cancellationToken);
        _uploadRecorded = _uploadId is not null;
        _committedSize += _written;
        _written = 0;
        if (_objectETag is not null)
        {
            // The record holds the object's bytes now; until the object goes, it wins (the old state).
            _objectETag = null;
            await _driver.DeleteObjectAsync(_key, cancellationToken);
        }

        if (_staleUpload is { } stale)
        {
            _staleUpload = null;
            await _driver.AbortQuietlyAsync(_key, stale);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await DrainAsync();
        }
        catch (Exception e) when (e is AmazonS3Exception or OperationCanceledException or IOException or HttpRequestException)
        {
            // Whatever became of the last part, no record names it.
        }

        if (_uploadId is not null && !_uploadRecorded)
        {
            // An upload this writer started and no record names: nobody else can find it.
            await _driver.AbortQuietlyAsync(_key, _uploadId);
        }

        _driver.ChunkBuffers.Return(_buffer);
        if (_spare is not null)
        {
            _driver.ChunkBuffers.Return(_spare);
        }
    }

    private async Task OpenAsync(bool append, CancellationToken cancellationToken)
    {
        // Both at once (one round trip per request): the record is what an upload session has, but
        // an object at the key, if any, wins.
        var existing = append ? _driver.HeadAsync(_key, cancellationToken) : Task.FromResult<GetObjectMetadataResponse?>(null);
        var record = append ? _driver.ReadPendingAsync(_key, _buffer, cancellationToken) : Task.FromResult<(S3Pending, byte[])?>(null);
        await Task.WhenAll(existing, record).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (await existing is { } whole)
        {
            _objectETag = whole.ETag;
            _committedSize = whole.ContentLength;
            _basePending = _committedSize > 0;
            // A record read with it is stale: the first commit replaces it and aborts its upload.
            if (await record is var (left, _))
            {
                _pendingETag = left.ETag;
                _staleUpload = left.UploadId;
            }

            return;
        }

        if (await record is var (pending, _))
        {
            _pendingETag = pending.ETag;
            _uploadId = pending.UploadId;
            _uploadRecorded = _uploadId is not null;
            _parts.AddRange(pending.Parts);
            _nextPart = _parts.Count + 1;
            _committedSize = pending.Size;
            _count = pending.TailLength;
            return;
        }

        // A new file, or a truncated one: it exists, empty, from now on, and the object it was is gone.
        if (!append)
        {
            await NoteStaleRecordAsync(cancellationToken);
        }

        _pendingETag = await _driver.WritePendingAsync(_key, null, [], 0, ReadOnlyMemory<byte>.Empty, _pendingETag, cancellationToken);
        if (_staleUpload is { } stale)
        {
            _staleUpload = null;
            await _driver.AbortQuietlyAsync(_key, stale);
        }

        if (!append)
        {
            await _driver.DeleteObjectAsync(_key, cancellationToken);
        }
    }

    /// <summary>A record a truncating writer replaces, and whose upload it then aborts.</summary>
    private async Task NoteStaleRecordAsync(CancellationToken cancellationToken)
    {
        if (await _driver.HeadAsync(S3StorageDriver.PendingKey(_key), cancellationToken) is { } stale)
        {
            _pendingETag = stale.ETag;
            _staleUpload = S3StorageDriver.PendingUpload(stale);
        }
    }

    /// <summary>The whole object's bytes become the start of the new upload.</summary>
    private async Task IncludeObjectAsync(CancellationToken cancellationToken)
    {
        _basePending = false;
        var etag = _objectETag!;
        if (_committedSize >= S3StorageOptions.MinimumChunkSize && !_driver.PartCopyUnsupported)
        {
            await StartUploadAsync(cancellationToken);
            try
            {
                var copied = await _driver.CopyPartsAsync(_uploadId!, _key, _key, etag, _committedSize, _nextPart, cancellationToken);
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
        using var response = await _driver.GetObjectAsync(_key, 0, cancellationToken, etag)
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

    private async Task StartUploadAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            _uploadId = (await _driver.Client.InitiateMultipartUploadAsync(_driver.NewMultipartUpload(_key), cancellationToken)).UploadId;
            _uploadRecorded = false;
        }
    }

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
        _inflight = _driver.UploadPartAsync(_key, _uploadId!, _nextPart++, chunk.AsMemory(0, _count), CancellationToken.None);
        _buffer = _spare ?? _driver.ChunkBuffers.Rent(_chunkSize);
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
}
