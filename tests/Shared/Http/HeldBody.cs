using System.Net;
using System.Net.Http.Headers;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// A request body that sends its first part at once and the rest only when the test releases it:
/// a slow client whose request is still running while the test sends others.
/// </summary>
public sealed class HeldBody(byte[] first, byte[] rest) : HttpContent
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _release.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(first);
        await stream.FlushAsync();
        await _release.Task;
        await stream.WriteAsync(rest);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    public static HeldBody Octets(byte[] first, byte[] rest)
    {
        var body = new HeldBody(first, rest);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return body;
    }
}
