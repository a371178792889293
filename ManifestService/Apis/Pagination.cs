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
    /// The page from <paramref name="fetched"/>, which holds up to one name more than the page (the
    /// names after <c>last</c>), and the Link header when that one more was there. Without a
    /// <paramref name="pageSize"/> the page holds up to <see cref="MaxPageSize"/> names, with a Link
    /// (at that size) when more remain: a list is never cut short without saying so.
    /// </summary>
    public static IReadOnlyList<string> Page(HttpContext context, IReadOnlyList<string> fetched, int? pageSize)
    {
        var count = Math.Min(pageSize ?? MaxPageSize, fetched.Count);
        var page = new string[count];
        for (var i = 0; i < count; i++)
        {
            page[i] = fetched[i];
        }

        if (count > 0 && fetched.Count > count)
        {
            context.Response.Headers.Link = PageParameters.NextLink(context.Request.Path.Value ?? "", pageSize ?? MaxPageSize, page[^1]);
        }

        return page;
    }

    /// <summary>How many names to fetch for a page: one more than it holds, to know whether more follow.</summary>
    public static int FetchCount(int? pageSize) => (pageSize ?? MaxPageSize) + 1;
}
