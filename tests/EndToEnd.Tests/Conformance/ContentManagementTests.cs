using System.Net;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Conformance;

/// <summary>
/// OCI distribution-spec conformance, "Content management": deleting tags, manifests, blobs and
/// referrers (the fixture's registry runs with <c>storage.delete.enabled</c>).
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ContentManagementTests(RegistryAppFixture registry)
{
    private const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private HttpClient Http => registry.Http;

    [Fact]
    public async Task Deleting_a_tag_untags_it_and_keeps_the_manifest_by_digest()
    {
        var repository = ConformanceRequests.NewRepository("management");
        var image = ConformanceRequests.Image("management-untag");
        var digest = await Http.PushImageAsync(repository, image, "gone");
        await Http.PushManifestAsync(repository, "kept", image.Manifest, ImageManifest);

        (await Http.SendAsync(HttpMethod.Delete, $"v2/{repository}/manifests/gone").ExpectAsync(HttpStatusCode.Accepted)).Dispose();

        await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/manifests/gone").ExpectErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        (await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/manifests/{digest}").ExpectAsync(HttpStatusCode.OK)).Dispose();
        Assert.Equal(["kept"], await Tags(repository));
    }

    [Fact]
    public async Task Deleting_a_manifest_by_digest_removes_it_and_every_tag_on_it()
    {
        var repository = ConformanceRequests.NewRepository("management");
        var image = ConformanceRequests.Image("management-delete");
        var digest = await Http.PushImageAsync(repository, image, "one");
        await Http.PushManifestAsync(repository, "two", image.Manifest, ImageManifest);
        var survivor = await Http.PushImageAsync(repository, ConformanceRequests.Image("management-survivor"), "three");

        (await Http.SendAsync(HttpMethod.Delete, $"v2/{repository}/manifests/{digest}").ExpectAsync(HttpStatusCode.Accepted)).Dispose();

        await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/manifests/{digest}").ExpectErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/manifests/one").ExpectErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(["three"], await Tags(repository));
        (await Http.SendAsync(HttpMethod.Head, $"v2/{repository}/manifests/{survivor}").ExpectAsync(HttpStatusCode.OK)).Dispose();
    }

    [Fact]
    public async Task Deleting_a_blob_answers_202_and_the_blob_is_then_unknown()
    {
        var repository = ConformanceRequests.NewRepository("management");
        var image = ConformanceRequests.Image("management-blob");
        await Http.PushBlobWithPutAsync(repository, image.Layer);

        (await Http.SendAsync(HttpMethod.Delete, $"v2/{repository}/blobs/{image.LayerDigest}").ExpectAsync(HttpStatusCode.Accepted)).Dispose();

        (await Http.SendAsync(HttpMethod.Head, $"v2/{repository}/blobs/{image.LayerDigest}").ExpectAsync(HttpStatusCode.NotFound)).Dispose();
        await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{image.LayerDigest}").ExpectErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await Http.SendAsync(HttpMethod.Delete, $"v2/{repository}/blobs/{image.LayerDigest}").ExpectErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Deleting_a_referrer_removes_it_from_the_referrers_list()
    {
        var repository = ConformanceRequests.NewRepository("management");
        var subject = await Http.PushImageAsync(repository, ConformanceRequests.Image("management-subject"), "v1");
        var signature = ConformanceRequests.Image("management-signature", subject, "application/vnd.example.signature.v1");
        var referrer = await Http.PushImageAsync(repository, signature, signature.ManifestDigest);
        var before = await Http.GetJsonAsync($"v2/{repository}/referrers/{subject}", HttpStatusCode.OK, Token);
        Assert.Equal(referrer, Assert.Single(before["manifests"]!.AsArray())!["digest"]!.GetValue<string>());

        (await Http.SendAsync(HttpMethod.Delete, $"v2/{repository}/manifests/{referrer}").ExpectAsync(HttpStatusCode.Accepted)).Dispose();

        var after = await Http.GetJsonAsync($"v2/{repository}/referrers/{subject}", HttpStatusCode.OK, Token);
        Assert.Empty(after["manifests"]!.AsArray());
    }

    private async Task<IReadOnlyList<string>> Tags(string repository)
    {
        var list = await Http.GetJsonAsync($"v2/{repository}/tags/list", HttpStatusCode.OK, Token);
        return list["tags"]?.AsArray().Select(tag => tag!.GetValue<string>()).ToList() ?? [];
    }
}
