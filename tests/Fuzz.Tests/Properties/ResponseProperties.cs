using System.Text.Json;
using System.Text.RegularExpressions;
using RegistryCloud.Fuzz.Tests.Infrastructure;
using RegistryCloud.Fuzz.Tests.Requests;

namespace RegistryCloud.Fuzz.Tests.Properties;

/// <summary>
/// What every answer to a hostile request must be: not a 5xx (this suite injects no storage
/// fault), no stack trace or exception type in it, and, when the registry answers an error with
/// a body, the OCI error body. An answer without the registry's
/// <c>Docker-Distribution-API-Version</c> header is Kestrel's own refusal of a malformed request
/// (a bad request line or header block, one too large): a 4xx with no body.
/// </summary>
public static partial class ResponseProperties
{
    private const string ApiVersionHeader = "Docker-Distribution-API-Version";

    /// <summary>The first property the answer breaks, or null.</summary>
    public static string? Violation(FuzzRequest request, RawResponse response)
    {
        if (response.Status >= 500)
        {
            return $"answered {response.Status}";
        }

        if (response.Status < 100)
        {
            return $"answered a status of {response.Status}";
        }

        var text = response.BodyText + "\n" + string.Join("\n", response.Headers.Select(header => header.Value));
        if (StackTrace().Match(text) is { Success: true } trace)
        {
            return $"the answer shows a stack trace or exception type: '{trace.Value}'";
        }

        if (response.Header(ApiVersionHeader) is null)
        {
            return response.Status is >= 400 and < 500 && response.Body.Length == 0
                ? null
                : $"answered {response.Status} without the registry's {ApiVersionHeader} header (not Kestrel's bodiless refusal)";
        }

        if (response.Status < 400 || request.IsHead)
        {
            return null;
        }

        // A Range past the blob's end: the file result's own 416 (RFC 9110 §15.5.17), bodiless, with
        // the size a client needs to ask again.
        if (response.Status == 416 && response.Body.Length == 0 && response.Header("Content-Range") is { } range && range.StartsWith("bytes */", StringComparison.Ordinal))
        {
            return null;
        }

        return OciErrorProblem(response);
    }

    /// <summary>What is wrong with an error answer's body, or null when it is the OCI error body.</summary>
    public static string? OciErrorProblem(RawResponse response)
    {
        if (response.Header("Content-Type") is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return $"error {response.Status} with Content-Type '{response.Header("Content-Type")}', not application/json";
        }

        try
        {
            using var document = JsonDocument.Parse(response.Body);
            if (!document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0)
            {
                return $"error {response.Status} body has no errors array";
            }

            foreach (var error in errors.EnumerateArray())
            {
                if (error.ValueKind != JsonValueKind.Object
                    || !error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String || code.GetString() is not { Length: > 0 }
                    || !error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
                {
                    return $"error {response.Status} body has an error without a code and a message";
                }
            }

            return null;
        }
        catch (JsonException e)
        {
            return $"error {response.Status} body is not JSON: {e.Message}";
        }
    }

    /// <summary>
    /// A .NET stack frame (<c>at Namespace.Type.Method(</c>) or a name of an exception type. The
    /// generators never put either into a request, so an answer that echoes the request cannot hold one.
    /// </summary>
    [GeneratedRegex(@"\bat [A-Za-z_][\w.`<>]*\.[\w<>`]+\(|\b[A-Z]\w*Exception\b|\bSystem\.[A-Z]\w+\.|\bMicrosoft\.AspNetCore\.")]
    private static partial Regex StackTrace();
}
