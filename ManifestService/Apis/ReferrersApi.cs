using RegistryCloud.Hosting;
using RegistryCloud.ManifestService.Referrers;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Apis;

/// <summary>
/// <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c> (OCI spec 1.1: listing referrers): always
/// 200 with an OCI image index, empty when nothing refers to the digest; <c>?artifactType=</c>
/// filters and says so in <c>OCI-Filters-Applied</c>. Long lists come in pages, ordered by digest,
/// with a <c>Link: &lt;...&gt;; rel="next"</c> header as the spec allows.
/// </summary>
internal static class ReferrersApi
{
    public const int PageSize = 1000;

    public static async Task<IResult> ListAsync(HttpContext context, OciRoute route, ReferrerStore referrers)
    {
        if (!Digest.TryParse(route.Argument, out var subject))
        {
            return OciResults.Error(OciErrorCode.DigestInvalid, $"invalid digest '{route.Argument}'");
        }

        IEnumerable<ReferrerDescriptor> found = await referrers.ListAsync(route.Name, subject, context.RequestAborted);
        var artifactType = context.Request.Query["artifactType"].ToString();
        if (artifactType.Length > 0)
        {
            found = found.Where(referrer => referrer.ArtifactType == artifactType);
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }

        var last = context.Request.Query["last"].ToString();
        if (last.Length > 0)
        {
            found = found.Where(referrer => string.CompareOrdinal(referrer.Digest, last) > 0);
        }

        var page = found.Take(PageSize + 1).ToList();
        if (page.Count > PageSize)
        {
            page.RemoveAt(PageSize);
            var next = $"{context.Request.Path.Value}?last={Uri.EscapeDataString(page[^1].Digest)}";
            if (artifactType.Length > 0)
            {
                next += $"&artifactType={Uri.EscapeDataString(artifactType)}";
            }

            context.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        var index = new ReferrersIndex(2, MediaTypes.OciImageIndex, page);
        return Results.Json(index, ManifestJsonContext.WireOptions, MediaTypes.OciImageIndex);
    }
}

internal sealed record ReferrersIndex(int SchemaVersion, string MediaType, IReadOnlyList<ReferrerDescriptor> Manifests);
