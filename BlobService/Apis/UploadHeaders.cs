using System.Globalization;

namespace RegistryCloud.BlobService.Apis;

/// <summary>Headers of upload responses and the <c>Content-Range</c> of chunk requests.</summary>
internal static class UploadHeaders
{
    public static string UploadLocation(string repository, string id) => $"/v2/{repository}/blobs/uploads/{id}";

    public static string BlobLocation(string repository, string digest) => $"/v2/{repository}/blobs/{digest}";

    /// <summary>
    /// <c>Range: 0-&lt;last byte&gt;</c>; Distribution answers <c>0-0</c> for an empty session
    /// and clients rely on that form.
    /// </summary>
    public static string Range(long size) =>
        "0-" + Math.Max(0, size - 1).ToString(CultureInfo.InvariantCulture);

    public static void SetSession(HttpResponse response, string repository, string id, long size)
    {
        response.Headers.Location = UploadLocation(repository, id);
        response.Headers["Range"] = Range(size);
        response.Headers["Docker-Upload-UUID"] = id;
        response.ContentLength = 0;
    }

    /// <summary>
    /// Parses a chunk's <c>Content-Range</c>: <c>&lt;start&gt;-&lt;end&gt;</c> (inclusive, as the
    /// OCI spec writes it), also accepting a <c>bytes</c> unit and a <c>/length</c> suffix.
    /// </summary>
    public static bool TryParseContentRange(string? value, out long start, out long end)
    {
        start = end = 0;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.AsSpan().Trim();
        if (text.StartsWith("bytes", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..].TrimStart(" =");
        }

        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            text = text[..slash];
        }

        var dash = text.IndexOf('-');
        return dash > 0
            && long.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && long.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out end)
            && end >= start;
    }
}
