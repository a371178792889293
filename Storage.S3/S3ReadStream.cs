using System.Globalization;
using Amazon.S3.Model;

namespace RegistryCloud.Storage.S3;

/// <summary>
/// An object's bytes from an offset. It knows the object's length and seeks: a new position
/// closes the current response and the next read asks for a range from there, of the same version
/// of the object (ETag condition), so ASP.NET's range processing can serve Range requests and set
/// Content-Length from it as it does for a file.
/// </summary>
internal sealed class S3ReadStream : Stream
{
    private readonly S3StorageDriver _driver;
    private readonly string _key;
    private readonly string _etag;
    private GetObjectResponse? _response;
    private long _position;

    public S3ReadStream(S3StorageDriver driver, string key, GetObjectResponse response, long offset)
    {
        _driver = driver;
        _key = key;
        _response = response;
        _etag = response.ETag;
        _position = offset;
        Length = TotalLength(response, offset);
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
        if (_position >= Length || buffer.IsEmpty)
        {
            return 0;
        }

        var body = _response?.ResponseStream ?? OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var read = body.Read(buffer);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= Length || buffer.IsEmpty)
        {
            return 0;
        }

        var body = _response?.ResponseStream ?? await OpenAsync(cancellationToken);
        var read = await body.ReadAsync(buffer, cancellationToken);
        _position += read;
        return read;
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
            _response?.Dispose();
            _response = null;
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
            _response?.Dispose();
            _response = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>The whole object's length: from Content-Range for a ranged answer, else offset plus body.</summary>
    private static long TotalLength(GetObjectResponse response, long offset)
    {
        var range = response.ContentRange;
        var slash = range?.LastIndexOf('/') ?? -1;
        return slash >= 0 && long.TryParse(range.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var total)
            ? total
            : offset + response.ContentLength;
    }

    private async ValueTask<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        _response = await _driver.GetObjectAsync(_key, _position, cancellationToken, _etag)
            ?? throw new IOException($"The object '{_key}' vanished while it was read.");
        return _response.ResponseStream;
    }
}
