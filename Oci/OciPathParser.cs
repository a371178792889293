namespace RegistryCloud.Oci;

/// <summary>
/// The one parser of <c>/v2/&lt;name&gt;/(blobs|manifests|tags|referrers)/...</c> paths, used by
/// the gateway to route and by the services to dispatch. Repository names contain '/', so the
/// path is read from its end: the resource always sits in the last one or two segments.
/// </summary>
public static class OciPathParser
{
    private const string Prefix = "/v2/";

    public static OciRoute Parse(string? path)
    {
        if (path is null || !path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return path == "/v2" ? new OciRoute(OciRouteKind.Base, "", "") : default;
        }

        var rest = path.AsSpan(Prefix.Length);
        if (rest.IsEmpty)
        {
            return new OciRoute(OciRouteKind.Base, "", "");
        }

        if (rest.SequenceEqual("_catalog"))
        {
            return new OciRoute(OciRouteKind.Catalog, "", "");
        }

        var lastSlash = rest.LastIndexOf('/');
        if (lastSlash <= 0)
        {
            return default;
        }

        var head = rest[..lastSlash];
        var last = rest[(lastSlash + 1)..];

        if (TryStrip(head, "/blobs/uploads", out var name))
        {
            return last.IsEmpty
                ? new OciRoute(OciRouteKind.UploadStart, name, "")
                : new OciRoute(OciRouteKind.Upload, name, last.ToString());
        }

        if (TryStrip(head, "/blobs", out name))
        {
            // "/blobs/uploads" without the trailing slash is the same upload-start resource.
            return last.SequenceEqual("uploads")
                ? new OciRoute(OciRouteKind.UploadStart, name, "")
                : new OciRoute(OciRouteKind.Blob, name, last.ToString());
        }

        if (TryStrip(head, "/manifests", out name) && !last.IsEmpty)
        {
            return new OciRoute(OciRouteKind.Manifest, name, last.ToString());
        }

        if (last.SequenceEqual("list") && TryStrip(head, "/tags", out name))
        {
            return new OciRoute(OciRouteKind.TagsList, name, "");
        }

        if (TryStrip(head, "/referrers", out name) && !last.IsEmpty)
        {
            return new OciRoute(OciRouteKind.Referrers, name, last.ToString());
        }

        return default;
    }

    private static bool TryStrip(ReadOnlySpan<char> head, string suffix, out string name)
    {
        if (head.Length > suffix.Length && head.EndsWith(suffix, StringComparison.Ordinal))
        {
            name = head[..^suffix.Length].ToString();
            return true;
        }

        name = "";
        return false;
    }
}
