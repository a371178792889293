using RegistryCloud.Hosting;
using RegistryCloud.ManifestService.Apis;
using RegistryCloud.ManifestService.Tags;
using RegistryCloud.Oci;
using RegistryCloud.Proxy;

namespace RegistryCloud.ManifestService.Proxy;

/// <summary>
/// <c>tags/list</c> of a proxied repository, as Distribution's proxy answers it: the upstream's
/// tags (the cache holds only those pulled so far), paged with <c>n</c>/<c>last</c> as any list
/// here. When the upstream is unreachable or failing, the cached tags stand in, with a warning
/// and the stale metric; a 429 or a refusal passes on to the client as for any proxied pull.
/// </summary>
internal sealed partial class TagListProxy(UpstreamClient upstream, TagStore tags, ProxyMetrics metrics, ILogger<TagListProxy> logger)
{
    public async Task<IResult> ListAsync(HttpContext context, string repository, ProxyTarget target, int? pageSize, string? last)
    {
        var cancellationToken = context.RequestAborted;
        IReadOnlyList<string>? fetched;
        var more = false;
        try
        {
            if (await upstream.ListTagsAsync(target, Pagination.FetchCount(pageSize), last, cancellationToken) is not { } answer)
            {
                return OciResults.Error(OciErrorCode.NameUnknown, $"{target.Repository} is not in {target.Upstream.Name} upstream");
            }

            (fetched, more) = (answer.Tags, answer.More);
        }
        catch (UpstreamException e) when (e.Failure == UpstreamFailure.Unavailable)
        {
            metrics.Failed(target.Upstream, e.Failure);
            fetched = await tags.PageAsync(repository, last, Pagination.FetchCount(pageSize), cancellationToken);
            if (fetched is null)
            {
                return UpstreamErrorResults.For(context, e);
            }

            metrics.ServedStale(target.Upstream);
            LogServedCached(logger, repository, target.Upstream.Name, e.Message);
        }
        catch (UpstreamException e)
        {
            metrics.Failed(target.Upstream, e.Failure);
            return UpstreamErrorResults.For(context, e);
        }

        var page = Pagination.Page(context, fetched, pageSize);

        // The upstream may answer fewer than asked and say more follow: so does the cache.
        if (more && page.Count > 0 && page.Count == fetched.Count && pageSize is not 0)
        {
            context.Response.Headers.Link = PageParameters.NextLink(context.Request.Path.Value ?? "", pageSize ?? page.Count, page[^1]);
        }

        return Results.Json(new TagList(repository, page), ManifestJsonContext.Default.TagList);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listed the cached tags of {Repository}: upstream {Upstream} is unavailable ({Reason})")]
    private static partial void LogServedCached(ILogger logger, string repository, string upstream, string reason);
}
