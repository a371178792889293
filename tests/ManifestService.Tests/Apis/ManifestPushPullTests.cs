using System.Net;
using System.Net.Http.Headers;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>OCI spec, pushing and pulling manifests, with references checked through BlobService.</summary>
public sealed class ManifestPushPullTests(RegistryServices services) : IClassFixture<RegistryServices>
{
    private readonly HttpClient _manifests = services.Manifests;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PUT_by_tag_answers_201_with_location_and_digest()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository);
        var digest = TestManifests.DigestOf(manifest);

        using var response = await _manifests.PutManifestAsync(repository, "latest", manifest, MediaTypes.OciImageManifest);

        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/v2/{repository}/manifests/{digest}", response.Headers.Location?.OriginalString);
        Assert.Equal(digest, response.Header("Docker-Content-Digest"));
    }

    [Theory]
    [InlineData(MediaTypes.OciImageManifest)]
    [InlineData(MediaTypes.DockerManifest)]
    public async Task GET_by_tag_and_by_digest_answers_the_bytes_as_pushed(string mediaType)
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository, mediaType);
        var digest = TestManifests.DigestOf(manifest);
        using var pushed = await _manifests.PutManifestAsync(repository, "v1", manifest, mediaType);
        await OciAssert.StatusAsync(pushed, HttpStatusCode.Created);

        foreach (var reference in new[] { "v1", digest })
        {
            using var response = await _manifests.GetAsync(
                $"/v2/{repository}/manifests/{reference}",
                request => request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType)));

            await OciAssert.StatusAsync(response, HttpStatusCode.OK);
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(digest, response.Header("Docker-Content-Digest"));
            Assert.Equal(manifest, await response.Content.ReadAsByteArrayAsync(Token));
        }
    }

    [Fact]
    public async Task HEAD_answers_length_type_and_digest_without_a_body()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageAsync(repository, "latest");

        using var response = await _manifests.SendAsync(HttpMethod.Head, $"/v2/{repository}/manifests/latest");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(manifest.Length, response.Content.Headers.ContentLength);
        Assert.Equal(MediaTypes.OciImageManifest, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TestManifests.DigestOf(manifest), response.Header("Docker-Content-Digest"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task PUT_by_digest_stores_the_manifest_untagged()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository);
        var digest = TestManifests.DigestOf(manifest);

        using var response = await _manifests.PutManifestAsync(repository, digest, manifest, MediaTypes.OciImageManifest);

        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal(manifest, await _manifests.GetByteArrayAsync($"/v2/{repository}/manifests/{digest}", Token));
        using var tags = await _manifests.GetAsync($"/v2/{repository}/tags/list", Token);
        Assert.Equal($$"""{"name":"{{repository}}","tags":[]}""", await tags.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task A_manifest_referencing_a_layer_the_repository_lacks_answers_400_MANIFEST_BLOB_UNKNOWN()
    {
        var repository = TestContent.NewRepository();
        var config = TestManifests.NewConfig();
        await services.Blobs.PushBlobAsync(repository, config);
        var missing = TestContent.NewBlob(100);
        var manifest = TestManifests.Image(
            MediaTypes.OciImageManifest,
            TestDescriptor.Of(MediaTypes.OciImageConfig, config),
            TestDescriptor.Of("application/vnd.oci.image.layer.v1.tar+gzip", missing));

        using var response = await _manifests.PutManifestAsync(repository, "latest", manifest, MediaTypes.OciImageManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        using var pulled = await _manifests.GetAsync($"/v2/{repository}/manifests/latest", Token);
        await OciAssert.ErrorAsync(pulled, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task A_layer_pushed_only_to_another_repository_is_unknown_to_the_manifest()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(TestContent.NewRepository());

        using var response = await _manifests.PutManifestAsync(repository, "latest", manifest, MediaTypes.OciImageManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task A_digest_reference_that_does_not_match_the_body_answers_400_DIGEST_INVALID()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository);
        var other = TestContent.DigestOf(TestContent.NewBlob());

        using var response = await _manifests.PutManifestAsync(repository, other, manifest, MediaTypes.OciImageManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var pulled = await _manifests.GetAsync($"/v2/{repository}/manifests/{TestManifests.DigestOf(manifest)}", Token);
        await OciAssert.ErrorAsync(pulled, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Theory]
    [InlineData("-bad")]
    [InlineData(".bad")]
    public async Task An_invalid_tag_answers_400_TAG_INVALID(string tag)
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository);

        using var response = await _manifests.PutManifestAsync(repository, tag, manifest, MediaTypes.OciImageManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID");
    }

    [Fact]
    public async Task An_invalid_tag_in_the_query_of_a_digest_PUT_answers_400_TAG_INVALID()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository);

        using var response = await _manifests.PutManifestAsync(repository, TestManifests.DigestOf(manifest) + "?tag=ok&tag=-bad", manifest, MediaTypes.OciImageManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID");
    }

    [Fact]
    public async Task A_manifest_that_does_not_parse_answers_400_MANIFEST_INVALID()
    {
        using var response = await _manifests.PutManifestAsync(TestContent.NewRepository(), "latest", "{\"schemaVersion\":1}"u8.ToArray(), MediaTypes.DockerManifestV1Signed);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task An_index_of_manifests_the_repository_holds_is_accepted_and_one_it_lacks_is_not()
    {
        var repository = TestContent.NewRepository();
        var child = await services.PushImageAsync(repository, "child");
        var absent = TestManifests.Image(MediaTypes.OciImageManifest, new TestDescriptor(MediaTypes.OciImageConfig, TestContent.DigestOf(TestContent.NewBlob()), 10));
        var good = TestManifests.Index(MediaTypes.OciImageIndex, TestDescriptor.Of(MediaTypes.OciImageManifest, child));
        var bad = TestManifests.Index(MediaTypes.OciImageIndex, TestDescriptor.Of(MediaTypes.OciImageManifest, absent));

        using var accepted = await _manifests.PutManifestAsync(repository, "multi", good, MediaTypes.OciImageIndex);
        using var refused = await _manifests.PutManifestAsync(repository, "broken", bad, MediaTypes.OciImageIndex);

        await OciAssert.StatusAsync(accepted, HttpStatusCode.Created);
        await OciAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        using var pulled = await _manifests.GetAsync($"/v2/{repository}/manifests/multi", Token);
        Assert.Equal(MediaTypes.OciImageIndex, pulled.Content.Headers.ContentType?.MediaType);
        Assert.Equal(good, await pulled.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task Pushing_a_tag_again_moves_it_to_the_new_manifest()
    {
        var repository = TestContent.NewRepository();
        await services.PushImageAsync(repository, "latest");
        var second = await services.PushImageAsync(repository, "latest");

        using var response = await _manifests.GetAsync($"/v2/{repository}/manifests/latest", Token);

        Assert.Equal(TestManifests.DigestOf(second), response.Header("Docker-Content-Digest"));
        Assert.Equal(second, await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task GET_of_an_unknown_tag_answers_404_MANIFEST_UNKNOWN()
    {
        var repository = TestContent.NewRepository();
        await services.PushImageAsync(repository, "latest");

        using var response = await _manifests.GetAsync($"/v2/{repository}/manifests/missing", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task A_manifest_pushed_to_one_repository_is_unknown_by_digest_in_another()
    {
        var manifest = await services.PushImageAsync(TestContent.NewRepository(), "latest");

        using var response = await _manifests.GetAsync($"/v2/{TestContent.NewRepository()}/manifests/{TestManifests.DigestOf(manifest)}", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task An_invalid_repository_name_answers_400_NAME_INVALID()
    {
        using var response = await _manifests.GetAsync("/v2/Not_Valid/manifests/latest", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }
}
