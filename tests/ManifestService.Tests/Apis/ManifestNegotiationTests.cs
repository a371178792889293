using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>
/// Distribution's content negotiation on manifest GETs (Accept) and the caching headers
/// (ETag, If-None-Match), over HTTP.
/// </summary>
public sealed class ManifestNegotiationTests(RegistryServices services) : IClassFixture<RegistryServices>
{
    private readonly HttpClient _manifests = services.Manifests;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_OCI_manifest_asked_for_with_only_Docker_schema2_accepted_answers_404_MANIFEST_UNKNOWN()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageAsync(repository, "latest");

        foreach (var reference in new[] { "latest", TestManifests.DigestOf(manifest) })
        {
            using var response = await _manifests.GetAsync($"/v2/{repository}/manifests/{reference}", Accept(MediaTypes.DockerManifest));
            await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        }
    }

    [Fact]
    public async Task An_OCI_manifest_asked_for_without_Accept_answers_200_with_the_bytes_as_pushed()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageAsync(repository, "latest");

        using var response = await _manifests.GetAsync($"/v2/{repository}/manifests/latest", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(MediaTypes.OciImageManifest, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(manifest, await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task If_None_Match_with_the_digest_quoted_or_bare_answers_304_without_a_body(bool quoted)
    {
        var repository = TestContent.NewRepository();
        var digest = TestManifests.DigestOf(await services.PushImageAsync(repository, "latest"));
        var tag = quoted ? $"\"{digest}\"" : digest;

        using var response = await _manifests.GetAsync(
            $"/v2/{repository}/manifests/latest",
            request => request.Headers.TryAddWithoutValidation("If-None-Match", tag));

        await OciAssert.StatusAsync(response, HttpStatusCode.NotModified);
        Assert.Equal($"\"{digest}\"", response.Headers.ETag?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task If_None_Match_with_another_digest_answers_200_with_the_manifest()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageAsync(repository, "latest");
        var other = TestContent.DigestOf(TestContent.NewBlob());

        using var response = await _manifests.GetAsync(
            $"/v2/{repository}/manifests/latest",
            request => request.Headers.TryAddWithoutValidation("If-None-Match", $"\"{other}\""));

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(manifest, await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Theory]
    [InlineData(MediaTypes.OciImageManifest)]
    [InlineData(MediaTypes.DockerManifest)]
    public async Task HEAD_by_digest_answers_length_and_type_without_a_body(string mediaType)
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository, mediaType);
        var digest = TestManifests.DigestOf(manifest);
        using var pushed = await _manifests.PutManifestAsync(repository, digest, manifest, mediaType);
        await OciAssert.StatusAsync(pushed, HttpStatusCode.Created);

        using var response = await _manifests.SendAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{digest}", Accept(mediaType));

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(manifest.Length, response.Content.Headers.ContentLength);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(digest, response.Header("Docker-Content-Digest"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task A_Docker_manifest_list_asked_for_by_tag_with_only_schema2_accepted_answers_its_linux_amd64_image()
    {
        var repository = TestContent.NewRepository();
        var (list, amd64) = await PushDockerListAsync(repository, "multi");

        using var response = await _manifests.GetAsync($"/v2/{repository}/manifests/multi", Accept(MediaTypes.DockerManifest));

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(MediaTypes.DockerManifest, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TestManifests.DigestOf(amd64), response.Header("Docker-Content-Digest"));
        Assert.NotEqual(TestManifests.DigestOf(list), response.Header("Docker-Content-Digest"));
        Assert.Equal(amd64, await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task A_Docker_manifest_list_asked_for_by_tag_accepting_lists_answers_the_list()
    {
        var repository = TestContent.NewRepository();
        var (list, _) = await PushDockerListAsync(repository, "multi");

        using var response = await _manifests.GetAsync(
            $"/v2/{repository}/manifests/multi",
            request =>
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.DockerManifest));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.DockerManifestList));
            });

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(MediaTypes.DockerManifestList, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TestManifests.DigestOf(list), response.Header("Docker-Content-Digest"));
        Assert.Equal(list, await response.Content.ReadAsByteArrayAsync(Token));
    }

    private static Action<HttpRequestMessage> Accept(string mediaType) =>
        request => request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));

    /// <summary>
    /// Pushes two Docker schema2 images by digest and a manifest list of them under a tag, the
    /// linux/arm64 entry first so that picking the first entry would be caught. Returns the list
    /// and the linux/amd64 image.
    /// </summary>
    private async Task<(byte[] List, byte[] Amd64)> PushDockerListAsync(string repository, string tag)
    {
        var arm64 = await PushByDigestAsync(repository);
        var amd64 = await PushByDigestAsync(repository);
        var list = TestManifests.Serialize(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.DockerManifestList,
            ["manifests"] = new JsonArray(Entry(arm64, "arm64"), Entry(amd64, "amd64")),
        });
        using var response = await _manifests.PutManifestAsync(repository, tag, list, MediaTypes.DockerManifestList);
        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        return (list, amd64);

        static JsonObject Entry(byte[] manifest, string architecture)
        {
            var entry = TestDescriptor.Of(MediaTypes.DockerManifest, manifest).ToJson();
            entry["platform"] = new JsonObject { ["architecture"] = architecture, ["os"] = "linux" };
            return entry;
        }
    }

    private async Task<byte[]> PushByDigestAsync(string repository)
    {
        var manifest = await services.PushImageBlobsAsync(repository, MediaTypes.DockerManifest);
        using var response = await _manifests.PutManifestAsync(repository, TestManifests.DigestOf(manifest), manifest, MediaTypes.DockerManifest);
        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        return manifest;
    }
}
