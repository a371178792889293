using System.IO.Pipelines;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace RegistryCloud.Gateway.Routing;

/// <summary>
/// A YARP response transform for blob bodies (GET of a blob, 200 or 206): the bytes are read
/// from BlobService's connection straight into the response pipe's memory, instead of through
/// YARP's 64 KiB copy buffer and a second copy into the pipe. One copy fewer per byte on the
/// path every pull takes. Everything else (headers, errors, other responses) stays YARP's.
/// </summary>
internal static partial class BlobResponseBody
{
    /// <summary>
    /// A stalled upstream ends the response after this long without a byte, as YARP's activity
    /// timeout of the blobs cluster would.
    /// </summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    // Large reads take everything the socket holds in one call, so a pull wakes this copy (and
    // Kestrel's sender after it) less often (docs/performance.md, "Measured design choices"). The pipe
    // takes the buffer from the shared array pool.
    private const int ReadSize = 1024 * 1024;

    public static async ValueTask CopyAsync(ResponseTransformContext context)
    {
        var http = context.HttpContext;
        if (context.SuppressResponseBody
            || context.ProxyResponse is not { } upstream
            || !HttpMethods.IsGet(http.Request.Method)
            || http.Response.StatusCode is not (StatusCodes.Status200OK or StatusCodes.Status206PartialContent)
            || upstream.Content.Headers.ContentLength is not > 0
            || http.Features.Get<IReverseProxyFeature>()?.Cluster.Config.ClusterId != RegistryClusterSelector.BlobsClusterId)
        {
            return;
        }

        context.SuppressResponseBody = true;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        try
        {
            var source = await upstream.Content.ReadAsStreamAsync(idle.Token);
            await PumpAsync(source, http.Response.BodyWriter, idle);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away (whatever the failure looked like from here): nothing is left to answer.
        }
        catch (Exception e)
        {
            // The status line and part of the body are out: the only honest signal left is to cut
            // the connection, so the client sees a short body rather than a complete-looking one.
            UpstreamFailed(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BlobResponseBody)), http.Request.Path, e);
            http.Abort();
        }
    }

    private static async Task PumpAsync(Stream source, PipeWriter target, CancellationTokenSource idle)
    {
        while (true)
        {
            idle.CancelAfter(IdleTimeout);
            var memory = target.GetMemory(ReadSize);
            var read = await source.ReadAsync(memory, idle.Token);
            if (read == 0)
            {
                return;
            }

            target.Advance(read);
            var flushed = await target.FlushAsync(idle.Token);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Blob body for {Path} failed midway; the client connection is cut")]
    private static partial void UpstreamFailed(ILogger logger, string path, Exception exception);
}
