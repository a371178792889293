using System.Net;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Manifests;

/// <summary>
/// <c>policies.quotas</c> on manifest pushes: a manifest's bytes count like its layers', a push past
/// the quota answers 403 DENIED naming it and stores nothing, and a manifest the repository holds
/// already adds nothing.
/// </summary>
public sealed class QuotaTests(QuotaRegistryServices services) : IClassFixture<QuotaRegistryServices>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_manifest_that_would_take_the_repository_past_its_quota_is_denied_and_not_stored()
    {
        var repository = "quota/" + Guid.NewGuid().ToString("N");
        var config = TestManifests.NewConfig();
        var layer = TestContent.NewBlob(QuotaRegistryServices.Quota - config.Length - 10);
        await services.Blobs.PushBlobAsync(repository, config);
        await services.Blobs.PushBlobAsync(repository, layer);
        var manifest = TestManifests.Image(
            MediaTypes.OciImageManifest,
            TestDescriptor.Of(MediaTypes.OciImageConfig, config),
            TestDescriptor.Of("application/vnd.oci.image.layer.v1.tar", layer));

        using var denied = await services.Manifests.PutManifestAsync(repository, "v1", manifest, MediaTypes.OciImageManifest);

        await OciAssert.ErrorAsync(denied, HttpStatusCode.Forbidden, "DENIED");
        Assert.Contains("limited to 1000 bytes by policies.quotas[0]", await denied.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        using var tag = await services.Manifests.GetAsync($"/v2/{repository}/manifests/v1", Token);
        await OciAssert.ErrorAsync(tag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        using var byDigest = await services.Manifests.GetAsync($"/v2/{repository}/manifests/{Digest.Compute(manifest)}", Token);
        await OciAssert.ErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task A_manifest_that_fits_is_stored_and_pushing_it_again_at_the_quota_adds_nothing()
    {
        var repository = "quota/" + Guid.NewGuid().ToString("N");
        var manifest = await services.PushImageAsync(repository, "v1");

        using var again = await services.Manifests.PutManifestAsync(repository, "v2", manifest, MediaTypes.OciImageManifest);

        await OciAssert.StatusAsync(again, HttpStatusCode.Created);
        Assert.Equal(manifest, await services.Manifests.GetByteArrayAsync($"/v2/{repository}/manifests/v2", Token));
    }
}
