using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace RegistryCloud.Bench.Content;

/// <summary>
/// A request body of <c>[offset, offset + length)</c> of a <see cref="BlobSource"/>, written
/// from one pooled buffer with a known <c>Content-Length</c> (no chunked transfer encoding).
/// </summary>
internal sealed class GeneratedContent : HttpContent
{
    public const int BufferSize = 1 << 20;

    private readonly BlobSource _source;
    private readonly long _offset;
    private readonly long _length;

    public GeneratedContent(BlobSource source, long offset, long length)
    {
        _source = source;
        _offset = offset;
        _length = length;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    }

    public GeneratedContent(BlobSource source)
        : this(source, 0, source.Length)
    {
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(BufferSize, Math.Max(_length, 1)));
        try
        {
            for (long written = 0; written < _length;)
            {
                var count = (int)Math.Min(buffer.Length, _length - written);
                _source.Fill(_offset + written, buffer.AsSpan(0, count));
                await stream.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
                written += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
