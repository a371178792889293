using System.Net;
using System.Text.Json;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>OCI spec 1.1, pushing a manifest by digest and tagging it in the same request: <c>?tag=a&amp;tag=b</c>.</summary>
public sealed class ManifestTagQueryTests(RegistryServices services) : IClassFixture<RegistryServices>
{
    private readonly HttpClient _manifests = services.Manifests;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_digest_PUT_with_two_tag_parameters_lists_both_tags_and_each_resolves_to_the_digest()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository);
        var digest = TestManifests.DigestOf(manifest);

        using var response = await _manifests.PutManifestAsync(repository, $"{digest}?tag=a&tag=b", manifest, MediaTypes.OciImageManifest);

        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal(digest, response.Header("Docker-Content-Digest"));
        Assert.Equal(["a", "b"], await TagsAsync(repository));
        foreach (var tag in new[] { "a", "b" })
        {
            using var pulled = await _manifests.GetAsync($"/v2/{repository}/manifests/{tag}", Token);
            await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
            Assert.Equal(digest, pulled.Header("Docker-Content-Digest"));
            Assert.Equal(manifest, await pulled.Content.ReadAsByteArrayAsync(Token));
        }
    }

    [Fact]
    public async Task A_digest_PUT_with_an_invalid_tag_parameter_answers_400_TAG_INVALID_and_stores_nothing()
    {
        var repository = TestContent.NewRepository();
        await services.PushImageAsync(repository, "existing");
        var manifest = await services.PushImageBlobsAsync(repository);
        var digest = TestManifests.DigestOf(manifest);

        using var response = await _manifests.PutManifestAsync(repository, $"{digest}?tag=good&tag=-bad", manifest, MediaTypes.OciImageManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID");
        using var byDigest = await _manifests.GetAsync($"/v2/{repository}/manifests/{digest}", Token);
        await OciAssert.ErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        using var byTag = await _manifests.GetAsync($"/v2/{repository}/manifests/good", Token);
        await OciAssert.ErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(["existing"], await TagsAsync(repository));
    }

    private async Task<string[]> TagsAsync(string repository)
    {
        using var response = await _manifests.GetAsync($"/v2/{repository}/tags/list", Token);
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return [.. json.RootElement.GetProperty("tags").EnumerateArray().Select(e => e.GetString()!)];
    }
}
