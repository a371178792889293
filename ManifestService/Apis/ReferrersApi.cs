using RegistryCloud.Core.Errors;
using RegistryCloud.Core.Oci;
using RegistryCloud.ManifestService.Referrers;

namespace RegistryCloud.ManifestService.Apis;

/// <summary>
/// <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c> (OCI spec 1.1: listing referrers): always
/// 200 with an OCI image index, empty when nothing refers to the digest; <c>?artifactType=</c>
/// filters and says so in <c>OCI-Filters-Applied</c>.
/// </summary>
internal static class ReferrersApi
{
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

        var index = new ReferrersIndex(2, MediaTypes.OciImageIndex, [.. found]);
        return Results.Json(index, ManifestJsonContext.WireOptions, MediaTypes.OciImageIndex);
    }
}

internal sealed record ReferrersIndex(int SchemaVersion, string MediaType, IReadOnlyList<ReferrerDescriptor> Manifests);
