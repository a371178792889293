using RegistryCloud.Configuration;
using RegistryCloud.Hosting;
using RegistryCloud.ManifestService.Proxy;
using RegistryCloud.ManifestService.Tags;
using RegistryCloud.Proxy;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Apis;

/// <summary>
/// <c>GET /v2/&lt;name&gt;/tags/list</c> (OCI spec: content discovery, listing tags). An <c>n</c>
/// above <c>tags.maxtags</c> gets a page of that many and a <c>Link</c> to the next, as in
/// Distribution 3.1 (the spec lets a registry answer fewer than <c>n</c> with a <c>Link</c>).
/// </summary>
internal static class TagsApi
{
    public static async Task<IResult> ListAsync(HttpContext context, OciRoute route, TagStore tags, RegistryConfiguration configuration)
    {
        if (!Pagination.TryRead(context.Request, int.MaxValue, out var requested, out var last, out var error))
        {
            return error!;
        }

        var pageSize = requested is { } n ? Math.Min(n, configuration.TagsMaxTags) : (int?)null;
        var services = context.RequestServices;
        if (services.GetRequiredService<ProxyRoutes>().Resolve(route.Name) is { } target)
        {
            return await services.GetRequiredService<TagListProxy>().ListAsync(context, route.Name, target, pageSize, last);
        }

        var fetched = await tags.PageAsync(route.Name, last, Pagination.FetchCount(pageSize), context.RequestAborted);
        if (fetched is null)
        {
            return OciResults.Error(OciErrorCode.NameUnknown, route.Name);
        }

        var page = Pagination.Page(context, fetched, pageSize);
        return Results.Json(new TagList(route.Name, page), ManifestJsonContext.Default.TagList);
    }
}

internal sealed record TagList(string Name, IReadOnlyList<string> Tags);

internal sealed record RepositoryList(IReadOnlyList<string> Repositories);
