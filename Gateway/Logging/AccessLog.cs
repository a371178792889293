using System.Diagnostics;

namespace RegistryCloud.Gateway.Logging;

/// <summary>
/// One line per request: method, path, status, bytes in and out (counted as they pass), duration, request id. Query
/// strings are left out (upload state and digests are in the path; nothing secret belongs in a
/// log) and so are credentials: no header is logged.
/// </summary>
internal static partial class AccessLog
{
    public static IApplicationBuilder UseAccessLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("RegistryCloud.Gateway.AccessLog");
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var request = context.Request;
            var response = context.Response;
            var bodyIn = new CountingStream(request.Body);
            var bodyOut = new CountingStream(response.Body);
            request.Body = bodyIn;
            response.Body = bodyOut;
            try
            {
                await next(context);
            }
            finally
            {
                request.Body = bodyIn.Inner;
                response.Body = bodyOut.Inner;
                Write(
                    logger,
                    request.Method,
                    request.Path.Value ?? "",
                    response.StatusCode,
                    bodyIn.Count,
                    bodyOut.Count,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    context.TraceIdentifier,
                    context.User.Identity?.Name ?? "-");
            }
        });
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{Method} {Path} {Status} in={BytesIn} out={BytesOut} {DurationMs:F1}ms id={RequestId} user={User}")]
    private static partial void Write(
        ILogger logger, string method, string path, int status, long bytesIn, long bytesOut, double durationMs, string requestId, string user);
}
