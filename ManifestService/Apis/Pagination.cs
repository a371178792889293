using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Apis;

/// <summary>
/// <c>n</c>/<c>last</c> pagination of sorted name lists (tags, catalog) with a
/// <c>Link: &lt;...&gt;; rel="next"</c> header when more remain (OCI spec: listing tags).
/// </summary>
internal static class Pagination
{
    /// <summary>The most names a page without <c>n</c> holds, where the caller sets no size of its own.</summary>
    public const int MaxPageSize = PageParameters.MaxPageSize;

    /// <summary>Reads <c>n</c> and <c>last</c>; an <c>n</c> that is not a whole number up to <paramref name="maximum"/> is refused.</summary>
    public static bool TryRead(HttpRequest request, int maximum, out int? pageSize, out string? last, out OciErrorResult? error)
    {
        last = request.Query["last"].ToString() is { Length: > 0 } l ? l : null;
        error = PageParameters.TryParsePageSize(request.Query["n"].ToString(), maximum, out pageSize)
            ? null
            : OciResults.Error(OciErrorCode.PaginationNumberInvalid, PageParameters.InvalidPageSize(maximum));
        return error is null;
    }

    /// <summary>
    /// The page after <paramref name="last"/>; sets the Link header when the list goes on. Without
    /// a <paramref name="pageSize"/> the page holds up to <see cref="MaxPageSize"/> names and no Link.
    /// </summary>
    public static IReadOnlyList<string> Page(HttpContext context, IReadOnlyList<string> sorted, int? pageSize, string? last)
    {
        var start = 0;
        if (last is not null)
        {
            // First entry strictly after 'last' in ordinal order.
            var lo = 0;
            var hi = sorted.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (string.CompareOrdinal(sorted[mid], last) <= 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            start = lo;
        }

        var count = Math.Min(pageSize ?? MaxPageSize, sorted.Count - start);
        var page = new List<string>(Math.Max(0, count));
        for (var i = 0; i < count; i++)
        {
            page.Add(sorted[start + i]);
        }

        if (pageSize is { } n && n > 0 && start + count < sorted.Count)
        {
            context.Response.Headers.Link = PageParameters.NextLink(context.Request.Path.Value ?? "", n, page[^1]);
        }

        return page;
    }
}
