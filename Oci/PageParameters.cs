using System.Globalization;

namespace RegistryCloud.Oci;

/// <summary>
/// The <c>n</c>/<c>last</c> pagination of the tags list (OCI spec: listing tags) and the catalog,
/// as ManifestService answers it and the gateway's filtered catalog repeats it: <c>n</c> a whole
/// number up to <see cref="MaxPageSize"/>, and <c>Link: &lt;path?n=&amp;last=&gt;; rel="next"</c>
/// while more names remain.
/// </summary>
public static class PageParameters
{
    /// <summary>Distribution's cap on one page of the catalog or tags.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>The detail of <c>PAGINATION_NUMBER_INVALID</c>.</summary>
    public static readonly string InvalidPageSize = $"n must be an integer from 0 to {MaxPageSize}";

    /// <summary>Reads <c>n</c>: null when absent or empty; false when it is not a whole number up to the cap.</summary>
    public static bool TryParsePageSize(string? n, out int? pageSize)
    {
        pageSize = null;
        if (string.IsNullOrEmpty(n))
        {
            return true;
        }

        if (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed > MaxPageSize)
        {
            return false;
        }

        pageSize = parsed;
        return true;
    }

    /// <summary>The <c>Link</c> header value naming the page after <paramref name="last"/>.</summary>
    public static string NextLink(string path, int pageSize, string last) =>
        string.Create(CultureInfo.InvariantCulture, $"<{path}?n={pageSize}&last={Uri.EscapeDataString(last)}>; rel=\"next\"");
}
