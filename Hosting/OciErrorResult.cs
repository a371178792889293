using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Oci;

namespace RegistryCloud.Hosting;

/// <summary>
/// Writes the OCI error body <c>{"errors":[{"code","message","detail"}]}</c> with the code's
/// status. The one way any service answers an error on the wire. The message is the code's own
/// unless the refusal has a reason a person must read (a policy's denial): clients print the
/// message and drop the detail.
/// </summary>
public sealed class OciErrorResult(OciErrorCode code, string? detail = null, string? message = null) : IResult, IStatusCodeHttpResult
{
    public OciErrorCode ErrorCode => code;

    public string? Detail => detail;

    public int? StatusCode => code.Status;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return WriteAsync(httpContext.Response, code, detail, message);
    }

    public static async Task WriteAsync(HttpResponse response, OciErrorCode code, string? detail, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(code);
        response.StatusCode = code.Status;
        response.ContentType = "application/json; charset=utf-8";

        // A handler may have framed an empty answer first (an upload's 416 carries the session's
        // headers, Content-Length: 0 among them); the error body replaces it, so Kestrel must not
        // hold it to that length.
        response.ContentLength = null;
        if (HttpMethods.IsHead(response.HttpContext.Request.Method))
        {
            // HEAD answers carry the status and headers only (RFC 9110 §9.3.2).
            return;
        }

        var writer = new Utf8JsonWriter(response.BodyWriter);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("code", code.Code);
            writer.WriteString("message", message ?? code.Message);
            if (detail is null)
            {
                writer.WriteNull("detail");
            }
            else
            {
                writer.WriteString("detail", detail);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}

public static class OciResults
{
    public static OciErrorResult Error(OciErrorCode code, string? detail = null) => new(code, detail);

    /// <summary>DENIED by a policy, with its reason as the message clients print (and as the detail).</summary>
    public static OciErrorResult Denied(string reason) => new(OciErrorCode.Denied, reason, reason);
}
