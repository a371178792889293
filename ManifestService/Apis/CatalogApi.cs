using RegistryCloud.ManifestService.Catalog;

namespace RegistryCloud.ManifestService.Apis;

/// <summary><c>GET /v2/_catalog</c>: the repositories, with <c>n</c>/<c>last</c> pagination.</summary>
internal static class CatalogApi
{
    public static async Task<IResult> ListAsync(HttpContext context, RepositoryCatalog catalog)
    {
        if (!Pagination.TryRead(context.Request, out var pageSize, out var last, out var error))
        {
            return error!;
        }

        var all = await catalog.ListAsync(context.RequestAborted);
        var page = Pagination.Page(context, all, pageSize, last);
        return Results.Json(new RepositoryList(page), ManifestJsonContext.Default.RepositoryList);
    }
}
