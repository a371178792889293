using System.Net;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Tags;

/// <summary>
/// <c>policies.immutabletags</c>: a covered tag, once it exists, is neither moved by a push nor
/// removed by a delete (of the tag, or of the manifest it points at); each refusal is 403 DENIED
/// naming the rule, and changes nothing.
/// </summary>
public sealed class ImmutableTagsTests(ImmutableTagRegistryServices services) : IClassFixture<ImmutableTagRegistryServices>
{
    private readonly HttpClient _manifests = services.Manifests;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_push_that_would_move_an_immutable_tag_is_denied_and_the_tag_still_points_where_it_did()
    {
        var repository = "prod/" + Guid.NewGuid().ToString("N");
        var first = await services.PushImageAsync(repository, "v1");
        var second = await services.PushImageBlobsAsync(repository);

        using var moved = await _manifests.PutManifestAsync(repository, "v1", second, MediaTypes.OciImageManifest);

        await OciAssert.ErrorAsync(moved, HttpStatusCode.Forbidden, "DENIED");
        Assert.Contains("policies.immutabletags[0]", await moved.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(first, await _manifests.GetByteArrayAsync($"/v2/{repository}/manifests/v1", Token));
    }

    [Fact]
    public async Task Pushing_the_same_manifest_to_an_immutable_tag_again_is_allowed()
    {
        var repository = "prod/" + Guid.NewGuid().ToString("N");
        var manifest = await services.PushImageAsync(repository, "v2");

        using var again = await _manifests.PutManifestAsync(repository, "v2", manifest, MediaTypes.OciImageManifest);

        await OciAssert.StatusAsync(again, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Tags_the_rule_does_not_cover_move_freely()
    {
        var repository = "prod/" + Guid.NewGuid().ToString("N");
        await services.PushImageAsync(repository, "latest");
        var second = await services.PushImageBlobsAsync(repository);

        using var moved = await _manifests.PutManifestAsync(repository, "latest", second, MediaTypes.OciImageManifest);

        await OciAssert.StatusAsync(moved, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Deleting_an_immutable_tag_or_the_manifest_it_points_at_is_denied()
    {
        var manifest = await services.PushImageAsync("frozen", "release-" + Guid.NewGuid().ToString("N"));
        var tag = (await TagsAsync("frozen")).First(tag => tag.StartsWith("release-", StringComparison.Ordinal));
        var digest = TestManifests.DigestOf(manifest);

        using var byTag = await _manifests.DeleteAsync($"/v2/frozen/manifests/{tag}", Token);
        using var byDigest = await _manifests.DeleteAsync($"/v2/frozen/manifests/{digest}", Token);

        await OciAssert.ErrorAsync(byTag, HttpStatusCode.Forbidden, "DENIED");
        await OciAssert.ErrorAsync(byDigest, HttpStatusCode.Forbidden, "DENIED");
        Assert.Contains(tag, await TagsAsync("frozen"));
        Assert.Equal(manifest, await _manifests.GetByteArrayAsync($"/v2/frozen/manifests/{digest}", Token));
    }

    private async Task<IReadOnlyList<string>> TagsAsync(string repository)
    {
        using var response = await _manifests.GetAsync($"/v2/{repository}/tags/list", Token);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return [.. json.RootElement.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()!)];
    }
}
