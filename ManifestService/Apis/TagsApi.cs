using RegistryCloud.Hosting;
using RegistryCloud.ManifestService.Tags;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Apis;

/// <summary><c>GET /v2/&lt;name&gt;/tags/list</c> (OCI spec: content discovery, listing tags).</summary>
internal static class TagsApi
{
    public static async Task<IResult> ListAsync(HttpContext context, OciRoute route, TagStore tags)
    {
        if (!Pagination.TryRead(context.Request, out var pageSize, out var last, out var error))
        {
            return error!;
        }

        var all = await tags.ListAsync(route.Name, context.RequestAborted);
        if (all is null)
        {
            return OciResults.Error(OciErrorCode.NameUnknown, route.Name);
        }

        var page = Pagination.Page(context, all, pageSize, last);
        return Results.Json(new TagList(route.Name, page), ManifestJsonContext.Default.TagList);
    }
}

internal sealed record TagList(string Name, IReadOnlyList<string> Tags);

internal sealed record RepositoryList(IReadOnlyList<string> Repositories);
