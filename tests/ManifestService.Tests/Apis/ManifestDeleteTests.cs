using System.Net;
using System.Text.Json;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>OCI spec, deleting manifests and tags, with <c>storage.delete.enabled</c> set.</summary>
public sealed class ManifestDeleteTests(DeletingRegistryServices services) : IClassFixture<DeletingRegistryServices>
{
    private readonly HttpClient _manifests = services.Manifests;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deleting_by_digest_answers_202_and_removes_the_manifest_and_every_tag_pointing_at_it()
    {
        var repository = TestContent.NewRepository();
        var manifest = await PushAsync(repository, "a", "b");
        var digest = TestManifests.DigestOf(manifest);
        var other = await services.PushImageAsync(repository, "other");

        using var deleted = await DeleteAsync(repository, digest);

        await OciAssert.StatusAsync(deleted, HttpStatusCode.Accepted);
        foreach (var reference in new[] { digest, "a", "b" })
        {
            using var pulled = await _manifests.GetAsync($"/v2/{repository}/manifests/{reference}", Token);
            await OciAssert.ErrorAsync(pulled, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        }

        Assert.Equal(["other"], await TagsAsync(repository));
        using var survivor = await _manifests.GetAsync($"/v2/{repository}/manifests/other", Token);
        await OciAssert.StatusAsync(survivor, HttpStatusCode.OK);
        Assert.Equal(other, await survivor.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task Deleting_by_tag_answers_202_and_removes_only_that_tag()
    {
        var repository = TestContent.NewRepository();
        var manifest = await PushAsync(repository, "gone", "kept");
        var digest = TestManifests.DigestOf(manifest);

        using var deleted = await DeleteAsync(repository, "gone");

        await OciAssert.StatusAsync(deleted, HttpStatusCode.Accepted);
        using var byTag = await _manifests.GetAsync($"/v2/{repository}/manifests/gone", Token);
        await OciAssert.ErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(["kept"], await TagsAsync(repository));
        foreach (var reference in new[] { digest, "kept" })
        {
            using var pulled = await _manifests.GetAsync($"/v2/{repository}/manifests/{reference}", Token);
            await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
            Assert.Equal(manifest, await pulled.Content.ReadAsByteArrayAsync(Token));
        }
    }

    [Fact]
    public async Task Deleting_an_unknown_tag_answers_404_MANIFEST_UNKNOWN()
    {
        var repository = TestContent.NewRepository();
        await services.PushImageAsync(repository, "latest");

        using var response = await DeleteAsync(repository, "missing");

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(["latest"], await TagsAsync(repository));
    }

    [Fact]
    public async Task Deleting_an_unknown_digest_answers_404_MANIFEST_UNKNOWN()
    {
        var repository = TestContent.NewRepository();
        await services.PushImageAsync(repository, "latest");

        using var response = await DeleteAsync(repository, TestContent.DigestOf(TestContent.NewBlob()));

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Deleting_a_digest_twice_answers_404_MANIFEST_UNKNOWN_the_second_time()
    {
        var repository = TestContent.NewRepository();
        var digest = TestManifests.DigestOf(await services.PushImageAsync(repository, "latest"));
        using var first = await DeleteAsync(repository, digest);
        await OciAssert.StatusAsync(first, HttpStatusCode.Accepted);

        using var second = await DeleteAsync(repository, digest);

        await OciAssert.ErrorAsync(second, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task A_tag_moved_from_one_manifest_to_another_survives_deleting_the_first()
    {
        var repository = TestContent.NewRepository();
        var first = await services.PushImageAsync(repository, "moving");
        var second = await services.PushImageAsync(repository, "moving");

        using var deleted = await DeleteAsync(repository, TestManifests.DigestOf(first));

        await OciAssert.StatusAsync(deleted, HttpStatusCode.Accepted);
        Assert.Equal(["moving"], await TagsAsync(repository));
        using var pulled = await _manifests.GetAsync($"/v2/{repository}/manifests/moving", Token);
        await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
        Assert.Equal(TestManifests.DigestOf(second), pulled.Header("Docker-Content-Digest"));
        Assert.Equal(second, await pulled.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task A_manifest_deleted_by_digest_can_be_pushed_again()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageAsync(repository, "latest");
        var digest = TestManifests.DigestOf(manifest);
        using var deleted = await DeleteAsync(repository, digest);
        await OciAssert.StatusAsync(deleted, HttpStatusCode.Accepted);

        using var pushed = await _manifests.PutManifestAsync(repository, "again", manifest, MediaTypes.OciImageManifest);

        await OciAssert.StatusAsync(pushed, HttpStatusCode.Created);
        using var pulled = await _manifests.GetAsync($"/v2/{repository}/manifests/{digest}", Token);
        await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
        Assert.Equal(["again"], await TagsAsync(repository));
    }

    private async Task<byte[]> PushAsync(string repository, params string[] tags)
    {
        var manifest = await services.PushImageBlobsAsync(repository);
        foreach (var tag in tags)
        {
            using var response = await _manifests.PutManifestAsync(repository, tag, manifest, MediaTypes.OciImageManifest);
            await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        }

        return manifest;
    }

    private Task<HttpResponseMessage> DeleteAsync(string repository, string reference) =>
        _manifests.SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{reference}");

    private async Task<string[]> TagsAsync(string repository)
    {
        using var response = await _manifests.GetAsync($"/v2/{repository}/tags/list", Token);
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return [.. json.RootElement.GetProperty("tags").EnumerateArray().Select(e => e.GetString()!)];
    }
}
