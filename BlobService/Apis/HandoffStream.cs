using RegistryCloud.BlobService.Extensions;
using RegistryCloud.Hosting;

namespace RegistryCloud.BlobService.Apis;

/// <summary>
/// The blob handoff for storage without local files (object storage with redirects off): given to
/// <see cref="Results.Stream(Stream, string?, string?, DateTimeOffset?, Microsoft.Net.Http.Headers.EntityTagHeaderValue?, bool)"/>
/// in place of the object's bytes, so the stream result still decides Range, If-None-Match and
/// HEAD exactly as for any stream. When it starts copying, the position it was moved to and the
/// length it framed are the range the gateway is told to send; then the body ends empty. Nothing is
/// read from storage here.
/// </summary>
internal sealed class HandoffStream(HttpResponse response, string storagePath, long length, BlobServiceMetrics metrics) : Stream
{
    private bool _handedOff;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get; set; }

    public override int Read(byte[] buffer, int offset, int count) => HandOff();

    public override int Read(Span<byte> buffer) => HandOff();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(HandOff());

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(HandOff());

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => Position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int HandOff()
    {
        if (_handedOff || response.HasStarted)
        {
            return 0;
        }

        // The stream result has framed the answer (status, Content-Range, Content-Length) and not
        // sent it: the gateway restores the length when it sends the range.
        _handedOff = true;
        var count = response.ContentLength ?? length - Position;
        response.Headers[BlobFileHandoff.Header] = BlobFileHandoff.Format(storagePath, Position, count);
        response.ContentLength = 0;
        metrics.BytesHandedOff(count);
        return 0;
    }
}
