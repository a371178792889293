using System.Net;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>Deletes when <c>storage.delete.enabled</c> is off, Distribution's default.</summary>
public sealed class ManifestDeleteDisabledTests(RegistryServices services) : IClassFixture<RegistryServices>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deleting_by_digest_or_tag_with_deletes_disabled_answers_405_UNSUPPORTED_and_keeps_the_manifest()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageAsync(repository, "latest");
        var digest = TestManifests.DigestOf(manifest);

        foreach (var reference in new[] { digest, "latest" })
        {
            using var response = await services.Manifests.SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{reference}");
            await OciAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        }

        foreach (var reference in new[] { digest, "latest" })
        {
            using var pulled = await services.Manifests.GetAsync($"/v2/{repository}/manifests/{reference}", Token);
            await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
            Assert.Equal(manifest, await pulled.Content.ReadAsByteArrayAsync(Token));
        }
    }
}
