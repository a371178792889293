using System.Globalization;

namespace RegistryCloud.Storage;

/// <summary>
/// An object-storage file's bytes as a seekable stream of known length, so a blob streamed through
/// BlobService gets Content-Length and Range answers as a file does. Reading streams one ranged GET
/// from the position on; a seek elsewhere drops it, and the next read asks the driver for a new
/// range from there (of the same version of the object: a file replaced meanwhile fails the read
/// instead of mixing two versions).
/// </summary>
public abstract class RangedReadStream : Stream
{
    private Stream? _body;
    private long _position;

    /// <param name="length">The whole file's length.</param>
    /// <param name="position">Where <paramref name="body"/> starts.</param>
    /// <param name="body">The answer already open at <paramref name="position"/>, if any.</param>
    protected RangedReadStream(long length, long position, Stream? body)
    {
        Length = length;
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

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _position >= Length)
        {
            return 0;
        }

        try
        {
            _body ??= OpenAt(_position);
            var read = _body.Read(buffer);
            _position += read;
            return read;
        }
        catch (Exception e) when (Failure(e) is { } failure)
        {
            throw failure;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _position >= Length)
        {
            return 0;
        }

        try
        {
            _body ??= await OpenAtAsync(_position, cancellationToken).ConfigureAwait(false);
            var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _position += read;
            return read;
        }
        catch (Exception e) when (Failure(e) is { } failure)
        {
            throw failure;
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

    /// <summary>The whole file's length from a ranged answer's <c>Content-Range</c> (<c>bytes 4-9/10</c>), else offset plus the body's length.</summary>
    public static long TotalLength(string? contentRange, long offset, long contentLength)
    {
        var slash = contentRange?.LastIndexOf('/') ?? -1;
        return slash >= 0 && long.TryParse(contentRange.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var total)
            ? total
            : offset + contentLength;
    }

    /// <summary>The file's bytes from <paramref name="position"/> on, of the version this stream began with.</summary>
    protected abstract Stream OpenAt(long position);

    /// <inheritdoc cref="OpenAt"/>
    protected abstract ValueTask<Stream> OpenAtAsync(long position, CancellationToken cancellationToken);

    /// <summary>What a failure of the storage while reading is thrown as; null to let it through unchanged.</summary>
    protected virtual Exception? Failure(Exception exception) => null;

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
}
