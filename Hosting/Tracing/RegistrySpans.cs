using System.Diagnostics;
using RegistryCloud.Oci;

namespace RegistryCloud.Hosting.Tracing;

/// <summary>
/// HTTP spans of the registry API, server and client alike, named for the registry operation
/// (<c>blob HEAD</c>, <c>upload PATCH</c>, <c>manifest PUT</c>, <c>tags list</c>, <c>catalog</c>,
/// <c>referrers</c>, <c>base</c>) instead of the route every <c>/v2</c> request shares
/// (<c>HEAD /v2/{**rest}</c>), with the repository, and the digest, reference or upload session,
/// as attributes: never in the name, which stays one of a few dozen.
/// </summary>
/// <remarks>
/// The misses a client expects are not errors: a 404 on a blob or manifest HEAD or GET (a push
/// asks whether each blob exists before it uploads it), a 404 on an upload (BLOB_UPLOAD_UNKNOWN),
/// a 401 (the challenge that starts every authenticated exchange) and a 416 on an upload (a
/// chunk out of order, answered with the range to resume from). OpenTelemetry's ASP.NET Core
/// instrumentation leaves 4xx server spans unset, but System.Net.Http marks every client span of
/// 400 or more as an error — the gateway's forwarded requests, through YARP's HttpClient, among
/// them — so for those the status is put back to unset and <c>error.type</c> removed. Everything
/// else, 5xx above all, keeps the status the instrumentation gave it.
/// </remarks>
public static class RegistrySpans
{
    public const string RepositoryAttribute = "registry.repository";
    public const string DigestAttribute = "registry.digest";
    public const string ReferenceAttribute = "registry.reference";
    public const string UploadAttribute = "registry.upload.id";

    // OpenTelemetry's HTTP semantic conventions, as the ASP.NET Core and System.Net.Http instrumentation set them.
    private const string MethodTag = "http.request.method";
    private const string StatusCodeTag = "http.response.status_code";
    private const string PathTag = "url.path";
    private const string UrlTag = "url.full";
    private const string ErrorTypeTag = "error.type";

    /// <summary>Names and annotates <paramref name="activity"/> when it is an HTTP span of a <c>/v2</c> path; leaves any other alone.</summary>
    public static void Describe(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var path = activity.Kind switch
        {
            ActivityKind.Server => activity.GetTagItem(PathTag) as string,
            ActivityKind.Client => PathOf(activity.GetTagItem(UrlTag) as string),
            _ => null,
        };
        if (path is null)
        {
            return;
        }

        var route = OciPathParser.Parse(path);
        var method = activity.GetTagItem(MethodTag) as string ?? "";
        if (Operation(route.Kind, method) is not { } operation)
        {
            return;
        }

        activity.DisplayName = operation;
        if (route.Name.Length > 0 && route.NameIsValid)
        {
            activity.SetTag(RepositoryAttribute, route.Name);
        }

        if (ArgumentAttribute(route.Kind) is { } attribute && route.Argument.Length > 0)
        {
            activity.SetTag(attribute, route.Argument);
        }

        if (IsExpectedMiss(route.Kind, method, StatusCode(activity)))
        {
            activity.SetStatus(ActivityStatusCode.Unset);
            activity.SetTag(ErrorTypeTag, null);
        }
    }

    /// <summary>The span name for a registry operation; null for a path that is not one.</summary>
    public static string? Operation(OciRouteKind kind, string method) => kind switch
    {
        OciRouteKind.Base => "base",
        OciRouteKind.Catalog => "catalog",
        OciRouteKind.TagsList => "tags list",
        OciRouteKind.Referrers => "referrers",
        OciRouteKind.Blob => method switch
        {
            "GET" => "blob GET",
            "HEAD" => "blob HEAD",
            "DELETE" => "blob DELETE",
            _ => "blob " + method,
        },
        OciRouteKind.UploadStart or OciRouteKind.Upload => method switch
        {
            "POST" => "upload POST",
            "PATCH" => "upload PATCH",
            "PUT" => "upload PUT",
            "GET" => "upload GET",
            "DELETE" => "upload DELETE",
            _ => "upload " + method,
        },
        OciRouteKind.Manifest => method switch
        {
            "GET" => "manifest GET",
            "HEAD" => "manifest HEAD",
            "PUT" => "manifest PUT",
            "DELETE" => "manifest DELETE",
            _ => "manifest " + method,
        },
        _ => null,
    };

    /// <summary>Whether <paramref name="status"/> is an answer the client expects to get, not a failure.</summary>
    public static bool IsExpectedMiss(OciRouteKind kind, string method, int? status) => status switch
    {
        401 => true,
        404 => kind switch
        {
            OciRouteKind.Blob or OciRouteKind.Manifest => method is "GET" or "HEAD",
            OciRouteKind.Upload => true,
            _ => false,
        },
        416 => kind == OciRouteKind.Upload,
        _ => false,
    };

    private static string? ArgumentAttribute(OciRouteKind kind) => kind switch
    {
        OciRouteKind.Blob or OciRouteKind.Referrers => DigestAttribute,
        OciRouteKind.Manifest => ReferenceAttribute,
        OciRouteKind.Upload => UploadAttribute,
        _ => null,
    };

    /// <summary>The path of a client span's URL (its query is redacted, and of no interest here).</summary>
    private static string? PathOf(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : null;

    private static int? StatusCode(Activity activity) => activity.GetTagItem(StatusCodeTag) switch
    {
        int code => code,
        string text when int.TryParse(text, out var code) => code,
        _ => null,
    };
}
