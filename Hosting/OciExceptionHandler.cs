using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Oci;

namespace RegistryCloud.Hosting;

public static class OciExceptionHandler
{
    /// <summary>
    /// Turns anything unexpected into <c>UNKNOWN</c>/500 with the trace id to quote, never a stack
    /// trace (the exception is logged by the exception handler middleware). A request body that
    /// ended before its <c>Content-Length</c>, or is malformed, becomes <c>SIZE_INVALID</c>: the
    /// client's doing, so it is not logged as the service's error, and neither is anything thrown
    /// once the client has gone (there is no one left to answer). A write that found the storage
    /// volume full becomes 507 saying so (the operator's to fix, not a bug to report).
    /// </summary>
    public static IApplicationBuilder UseOciExceptionHandler(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            SuppressDiagnosticsCallback = context =>
                context.Exception is BadHttpRequestException || context.HttpContext.RequestAborted.IsCancellationRequested,
            ExceptionHandler = async context =>
            {
                try
                {
                    await WriteAsync(context);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    // The client went away while the answer was written: no one is left to tell.
                }
            },
        });

    private static Task WriteAsync(HttpContext context)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException bad)
        {
            var code = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? OciErrorCode.SizeInvalid with { Status = StatusCodes.Status413PayloadTooLarge, Message = "request body too large" }
                : OciErrorCode.SizeInvalid;
            return OciErrorResult.WriteAsync(context.Response, code, bad.Message);
        }

        var traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        if (IsStorageFull(error))
        {
            return OciErrorResult.WriteAsync(context.Response, OciErrorCode.StorageFull, $"trace id {traceId}");
        }

        return OciErrorResult.WriteAsync(context.Response, OciErrorCode.Unknown, $"internal error; trace id {traceId}");
    }

    /// <summary>ENOSPC (28 on Linux and macOS) or Windows' ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL, anywhere in the exception's causes.</summary>
    private static bool IsStorageFull(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is IOException { HResult: 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027) })
            {
                return true;
            }
        }

        return false;
    }
}
