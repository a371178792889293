using RegistryCloud.Configuration;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.Gateway.Authorization;

/// <summary>
/// With <c>accesscontrol</c>, <c>GET /v2/_catalog</c> lists only the repositories the caller may
/// pull, in pages of up to <c>n</c> of them (<c>catalog.maxentries</c> at most, and without
/// <c>n</c>, as ManifestService pages it). The gateway reads ManifestService's catalog in pages of
/// <see cref="UpstreamPageSize"/> names starting after <c>last</c>, keeps the names the caller may
/// pull, and reads on until it holds <c>n</c> or the catalog ends. The page's <c>Link</c> names its
/// last visible repository and is there only while more names may follow; ManifestService's own
/// <c>Link</c> names the last name it sent, visible or not, and never reaches the client.
/// </summary>
/// <remarks>
/// An upstream page is a range read of ManifestService's catalog index (a walk of every repository
/// where it has no Redis), and the names the caller may not see still cross the wire, so one
/// request reads at most <see cref="MaxUpstreamPages"/> of them (four times <c>catalog.maxentries</c> names, up to
/// 40,000). Past that the page holds what was found, with a <c>Link</c> from its last name; when
/// nothing was found, it is answered as the end of the listing — a <c>Link</c> could only name a
/// repository the caller may not see — and a warning says so.
/// </remarks>
internal sealed partial class CatalogFilter(AccessControlList acl, CatalogPages pages, RegistryConfiguration configuration, ILogger<CatalogFilter> logger)
{
    public const int MaxUpstreamPages = 4;

    /// <summary>ManifestService answers at most <c>catalog.maxentries</c> names a page; the gateway reads no more than 10,000 at once.</summary>
    public int UpstreamPageSize { get; } = Math.Min(configuration.CatalogMaxEntries, PageParameters.MaxPageSize);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || OciPathParser.Parse(request.Path.Value).Kind != OciRouteKind.Catalog)
        {
            await next(context);
            return;
        }

        var maxEntries = configuration.CatalogMaxEntries;
        if (!PageParameters.TryParsePageSize(request.Query["n"].ToString(), maxEntries, out var pageSize))
        {
            await OciErrorResult.WriteAsync(context.Response, OciErrorCode.PaginationNumberInvalid, PageParameters.InvalidPageSize(maxEntries));
            return;
        }

        var user = context.User.Identity?.Name;
        var wanted = pageSize ?? maxEntries;
        var visible = new List<string>();
        var after = request.Query["last"].ToString() is { Length: > 0 } last ? last : null;
        var more = true;
        var read = 0;
        var scanned = 0;
        while (visible.Count < wanted && more && read < MaxUpstreamPages)
        {
            var page = await pages.ReadAsync(context, after, UpstreamPageSize);
            read++;
            if (page is null)
            {
                await OciErrorResult.WriteAsync(context.Response, OciErrorCode.Unavailable, "the catalog could not be read from ManifestService");
                return;
            }

            scanned += page.Names.Count;
            more = page.HasMore && page.Names.Count > 0;
            for (var i = 0; i < page.Names.Count; i++)
            {
                if (acl.Allows(user, page.Names[i], ResourceAccess.Pull))
                {
                    visible.Add(page.Names[i]);
                    if (visible.Count == wanted)
                    {
                        more |= i < page.Names.Count - 1;
                        break;
                    }
                }
            }

            after = page.Names.Count > 0 ? page.Names[^1] : after;
        }

        if (more && visible.Count == 0)
        {
            LogNothingVisible(logger, user ?? "anonymous", scanned);
            more = false;
        }

        if (wanted > 0 && more)
        {
            context.Response.Headers.Link = PageParameters.NextLink(request.Path.Value!, wanted, visible[^1]);
        }

        await CatalogPages.WriteAsync(context.Response, visible);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Catalog for {User}: none of the next {Scanned} repositories may be pulled; the listing ends here for this caller")]
    private static partial void LogNothingVisible(ILogger logger, string user, int scanned);
}

internal static class CatalogFilterExtensions
{
    public static IApplicationBuilder UseCatalogFilter(this IApplicationBuilder app)
    {
        if (!app.ApplicationServices.GetRequiredService<AccessControlList>().IsConfigured)
        {
            return app;
        }

        var filter = ActivatorUtilities.CreateInstance<CatalogFilter>(app.ApplicationServices);
        return app.Use(filter.InvokeAsync);
    }
}
