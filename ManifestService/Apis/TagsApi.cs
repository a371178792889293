using System.Globalization;
using RegistryCloud.Configuration;
using RegistryCloud.Hosting;
using RegistryCloud.ManifestService.Proxy;
using RegistryCloud.ManifestService.Tags;
using RegistryCloud.Proxy;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Apis;

/// <summary>
/// <c>GET /v2/&lt;name&gt;/tags/list</c> (OCI spec: content discovery, listing tags). Without
/// <c>n</c> the answer is every tag (after <c>last</c>, when given), however many, as in
/// Distribution. An <c>n</c> above <c>tags.maxtags</c> gets a page of that many and a <c>Link</c>
/// to the next, as in Distribution 3.1 (the spec lets a registry answer fewer than <c>n</c> with a
/// <c>Link</c>).
/// <para>
/// RegistryCloud's extension for the web console: <c>pushed=true</c> adds
/// <c>"pushed": {"&lt;tag&gt;": "&lt;UTC time&gt;"}</c>, when each tag of the page was pushed
/// (<see cref="TagStore.PushedAtAsync"/>). The spec's clients never send it, so their answer is
/// unchanged; since each time costs a stat (a request on object storage), such a page holds at
/// most <see cref="MaxPushedPageSize"/> tags, with a <c>Link</c> when more follow.
/// </para>
/// </summary>
internal static class TagsApi
{
    public const int MaxPushedPageSize = 100;

    public static async Task<IResult> ListAsync(HttpContext context, OciRoute route, TagStore tags, RegistryConfiguration configuration)
    {
        if (!Pagination.TryRead(context.Request, int.MaxValue, out var requested, out var last, out var error))
        {
            return error!;
        }

        var withPushed = string.Equals(context.Request.Query["pushed"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        var pageSize = requested is { } n ? Math.Min(n, configuration.TagsMaxTags) : (int?)null;
        var services = context.RequestServices;
        if (services.GetRequiredService<ProxyRoutes>().Resolve(route.Name) is { } target)
        {
            // The upstream's tags: no push times to give (the console shows none for them).
            return await services.GetRequiredService<TagListProxy>().ListAsync(context, route.Name, target, pageSize, last);
        }

        if (withPushed)
        {
            pageSize = Math.Min(pageSize ?? MaxPushedPageSize, MaxPushedPageSize);
        }

        // Without n the answer is the whole list (OCI spec), read a piece at a time: one piece is
        // the whole answer for most repositories, and a longer list is written as it is read.
        var fetched = await tags.PageAsync(route.Name, last, Pagination.FetchCount(pageSize ?? WholeTagList.PieceSize), context.RequestAborted);
        if (fetched is null)
        {
            return OciResults.Error(OciErrorCode.NameUnknown, route.Name);
        }

        if (pageSize is null)
        {
            return new WholeTagList(route.Name, fetched, tags);
        }

        var page = Pagination.Page(context, fetched, pageSize);
        var pushed = withPushed ? await PushedAsync(route.Name, page, tags, context.RequestAborted) : null;
        return Results.Json(new TagList(route.Name, page, pushed), ManifestJsonContext.Default.TagList);
    }

    private static async Task<IReadOnlyDictionary<string, string>> PushedAsync(string repository, IReadOnlyList<string> page, TagStore tags, CancellationToken cancellationToken)
    {
        var times = await tags.PushedAtAsync(repository, page, cancellationToken);
        return times.ToDictionary(
            pair => pair.Key,
            pair => pair.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            StringComparer.Ordinal);
    }
}

/// <summary>The tags list; <see cref="Pushed"/> only when asked for (<c>pushed=true</c>), else absent.</summary>
internal sealed record TagList(string Name, IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string>? Pushed = null);

internal sealed record RepositoryList(IReadOnlyList<string> Repositories);
