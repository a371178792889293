using RegistryCloud.Configuration;
using RegistryCloud.ManifestService.Catalog;

namespace RegistryCloud.ManifestService.Apis;

/// <summary>
/// <c>GET /v2/_catalog</c>: the repositories, with <c>n</c>/<c>last</c> pagination. Pages hold at
/// most <c>catalog.maxentries</c> names, as in Distribution: a larger <c>n</c> answers 400
/// PAGINATION_NUMBER_INVALID, and a request without <c>n</c> gets a page of that many with a
/// <c>Link</c> to the next while more remain.
/// </summary>
internal static class CatalogApi
{
    public static async Task<IResult> ListAsync(HttpContext context, RepositoryCatalog catalog, RegistryConfiguration configuration)
    {
        var maxEntries = configuration.CatalogMaxEntries;
        if (!Pagination.TryRead(context.Request, maxEntries, out var pageSize, out var last, out var error))
        {
            return error!;
        }

        var size = pageSize ?? maxEntries;
        var fetched = await catalog.PageAsync(last, Pagination.FetchCount(size), context.RequestAborted);
        var page = Pagination.Page(context, fetched, size);
        return Results.Json(new RepositoryList(page), ManifestJsonContext.Default.RepositoryList);
    }
}
