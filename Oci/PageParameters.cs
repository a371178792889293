using System.Globalization;

namespace RegistryCloud.Oci;

/// <summary>
/// The <c>n</c>/<c>last</c> pagination of the tags list (OCI spec: listing tags) and the catalog,
/// as ManifestService answers it and the gateway's filtered catalog repeats it: <c>n</c> a whole
/// number up to a cap, and <c>Link: &lt;path?n=&amp;last=&gt;; rel="next"</c> while more names remain.
/// The catalog's cap is <c>catalog.maxentries</c> (a larger <c>n</c> is refused, as Distribution
/// does); the tags list clamps <c>n</c> to <c>tags.maxtags</c> instead.
/// </summary>
public static class PageParameters
{
    /// <summary>
    /// The most names a tags list without <c>n</c> holds, and the largest catalog page the gateway
    /// reads from ManifestService at once.
    /// </summary>
    public const int MaxPageSize = 10_000;

    /// <summary>The detail of <c>PAGINATION_NUMBER_INVALID</c> for a cap of <paramref name="maximum"/>.</summary>
    public static string InvalidPageSize(int maximum) =>
        maximum == int.MaxValue
            ? "n must be a whole number"
            : string.Create(CultureInfo.InvariantCulture, $"n must be an integer from 0 to {maximum}");

    /// <summary>Reads <c>n</c>: null when absent or empty; false when it is not a whole number up to <paramref name="maximum"/>.</summary>
    public static bool TryParsePageSize(string? n, int maximum, out int? pageSize)
    {
        pageSize = null;
        if (string.IsNullOrEmpty(n))
        {
            return true;
        }

        if (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed > maximum)
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
