using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace RegistryCloud.Storage.Azure;

/// <summary>
/// A blob's bytes as a seekable stream of known length, so a blob streamed through BlobService gets
/// Content-Length and Range answers as a file does. Reading streams one GET from the position on;
/// a seek elsewhere drops it and the next read asks for a new range of the same version (If-Match
/// on the ETag: a blob replaced meanwhile fails the read instead of mixing two versions).
/// </summary>
internal sealed class AzureReadStream : Stream
{
    private readonly BlobClient _blob;
    private readonly ETag _version;
    private Stream? _body;
    private long _position;

    private AzureReadStream(BlobClient blob, long length, ETag version, long position, Stream? body)
    {
        _blob = blob;
        Length = length;
        _version = version;
        _position = position;
        _body = body;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>The blob from <paramref name="offset"/> on, or null when there is no such blob.</summary>
    public static async Task<Stream?> OpenAsync(BlobClient blob, long offset, CancellationToken cancellationToken)
    {
        try
        {
            var options = new BlobDownloadOptions { Range = offset == 0 ? default : new HttpRange(offset) };
            var result = (await blob.DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false)).Value;
            return new AzureReadStream(blob, TotalLength(result.Details, offset), result.Details.ETag, offset, result.Content);
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

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _position >= Length)
        {
            return 0;
        }

        try
        {
            _body ??= (await _blob.DownloadStreamingAsync(RangeFromPosition(), cancellationToken).ConfigureAwait(false)).Value.Content;
            var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _position += read;
            return read;
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, "read", _blob.Name);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _position >= Length)
        {
            return 0;
        }

        try
        {
            _body ??= _blob.DownloadStreaming(RangeFromPosition()).Value.Content;
            var read = _body.Read(buffer);
            _position += read;
            return read;
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            throw AzureFailure.Wrap(e, "read", _blob.Name);
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            _body?.Dispose();
            _body = null;
            _position = target;
        }

        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body?.Dispose();
            _body = null;
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_body is not null)
        {
            await _body.DisposeAsync().ConfigureAwait(false);
            _body = null;
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The blob's whole length: the range answer's total (<c>bytes 4-9/10</c>), or the length of a whole-blob answer.</summary>
    private static long TotalLength(BlobDownloadDetails details, long offset)
    {
        var range = details.ContentRange;
        var slash = range?.LastIndexOf('/') ?? -1;
        return slash >= 0 && long.TryParse(range.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture, out var total)
            ? total
            : offset + details.ContentLength;
    }

    private BlobDownloadOptions RangeFromPosition() => new()
    {
        Range = new HttpRange(_position),
        Conditions = new BlobRequestConditions { IfMatch = _version },
    };
}
