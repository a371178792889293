using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>OCI spec 1.1, pushing manifests with <c>subject</c> and listing referrers.</summary>
public sealed class ReferrersTests(DeletingRegistryServices services) : IClassFixture<DeletingRegistryServices>
{
    private const string SbomType = "application/vnd.example.sbom.v1+json";
    private const string SignatureType = "application/vnd.example.signature.v1+json";

    private static readonly byte[] EmptyJson = "{}"u8.ToArray();

    private readonly HttpClient _manifests = services.Manifests;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pushing_a_manifest_with_a_subject_answers_201_with_OCI_Subject()
    {
        var repository = TestContent.NewRepository();
        var subject = await SubjectAsync(repository);
        var referrer = await ArtifactAsync(repository, subject, SbomType);

        using var response = await _manifests.PutManifestAsync(repository, TestManifests.DigestOf(referrer), referrer, MediaTypes.OciImageManifest);

        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal(subject.Digest, response.Header("OCI-Subject"));
    }

    [Fact]
    public async Task Referrers_of_a_subject_are_an_OCI_index_of_their_descriptors()
    {
        var repository = TestContent.NewRepository();
        var subject = await SubjectAsync(repository);
        var referrer = await PushArtifactAsync(repository, subject, SbomType);

        using var response = await _manifests.GetAsync($"/v2/{repository}/referrers/{subject.Digest}", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(MediaTypes.OciImageIndex, response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("OCI-Filters-Applied"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(MediaTypes.OciImageIndex, root.GetProperty("mediaType").GetString());
        var descriptor = Assert.Single(root.GetProperty("manifests").EnumerateArray());
        Assert.Equal(MediaTypes.OciImageManifest, descriptor.GetProperty("mediaType").GetString());
        Assert.Equal(TestManifests.DigestOf(referrer), descriptor.GetProperty("digest").GetString());
        Assert.Equal(referrer.Length, descriptor.GetProperty("size").GetInt64());
        Assert.Equal(SbomType, descriptor.GetProperty("artifactType").GetString());
        var annotations = descriptor.GetProperty("annotations");
        Assert.Equal("2024-01-02T03:04:05Z", annotations.GetProperty("org.opencontainers.image.created").GetString());
        Assert.Equal(SbomType, annotations.GetProperty("com.example.kind").GetString());
    }

    [Fact]
    public async Task An_artifactType_filter_lists_only_matching_referrers_and_says_it_was_applied()
    {
        var repository = TestContent.NewRepository();
        var subject = await SubjectAsync(repository);
        var sbom = await PushArtifactAsync(repository, subject, SbomType);
        await PushArtifactAsync(repository, subject, SignatureType);

        using var response = await _manifests.GetAsync($"/v2/{repository}/referrers/{subject.Digest}?artifactType={Uri.EscapeDataString(SbomType)}", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("artifactType", response.Header("OCI-Filters-Applied"));
        Assert.Equal([TestManifests.DigestOf(sbom)], await DigestsAsync(response));
    }

    [Fact]
    public async Task An_artifactType_filter_matching_nothing_answers_an_empty_list_and_says_it_was_applied()
    {
        var repository = TestContent.NewRepository();
        var subject = await SubjectAsync(repository);
        await PushArtifactAsync(repository, subject, SbomType);

        using var response = await _manifests.GetAsync($"/v2/{repository}/referrers/{subject.Digest}?artifactType=application%2Fvnd.example.none", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("artifactType", response.Header("OCI-Filters-Applied"));
        Assert.Empty(await DigestsAsync(response));
    }

    [Fact]
    public async Task A_subject_with_no_referrers_answers_200_with_an_empty_manifests_array()
    {
        var repository = TestContent.NewRepository();
        var subject = await SubjectAsync(repository);

        using var response = await _manifests.GetAsync($"/v2/{repository}/referrers/{subject.Digest}", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(MediaTypes.OciImageIndex, response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await DigestsAsync(response));
    }

    [Theory]
    [InlineData("sha256:nothex")]
    [InlineData("not-a-digest")]
    public async Task A_malformed_subject_digest_answers_400_DIGEST_INVALID(string digest)
    {
        using var response = await _manifests.GetAsync($"/v2/{TestContent.NewRepository()}/referrers/{digest}", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Deleting_a_referrer_removes_it_from_its_subjects_list()
    {
        var repository = TestContent.NewRepository();
        var subject = await SubjectAsync(repository);
        var gone = await PushArtifactAsync(repository, subject, SbomType);
        var kept = await PushArtifactAsync(repository, subject, SignatureType);

        using var deleted = await _manifests.SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{TestManifests.DigestOf(gone)}");
        await OciAssert.StatusAsync(deleted, HttpStatusCode.Accepted);

        using var response = await _manifests.GetAsync($"/v2/{repository}/referrers/{subject.Digest}", Token);
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal([TestManifests.DigestOf(kept)], await DigestsAsync(response));
    }

    [Fact]
    public async Task A_subject_that_was_never_pushed_still_lists_its_referrers()
    {
        var repository = TestContent.NewRepository();
        var absent = TestManifests.Image(MediaTypes.OciImageManifest, new TestDescriptor(MediaTypes.OciImageConfig, TestContent.DigestOf(TestContent.NewBlob()), 64));
        var subject = TestDescriptor.Of(MediaTypes.OciImageManifest, absent);

        var referrer = await PushArtifactAsync(repository, subject, SbomType);

        using var pulled = await _manifests.GetAsync($"/v2/{repository}/manifests/{subject.Digest}", Token);
        await OciAssert.ErrorAsync(pulled, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        using var response = await _manifests.GetAsync($"/v2/{repository}/referrers/{subject.Digest}", Token);
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal([TestManifests.DigestOf(referrer)], await DigestsAsync(response));
    }

    [Fact]
    public async Task Referrers_are_listed_per_repository()
    {
        var repository = TestContent.NewRepository();
        var subject = await SubjectAsync(repository);
        await PushArtifactAsync(repository, subject, SbomType);

        using var response = await _manifests.GetAsync($"/v2/{TestContent.NewRepository()}/referrers/{subject.Digest}", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Empty(await DigestsAsync(response));
    }

    /// <summary>Pushes an image under a tag and returns its descriptor.</summary>
    private async Task<TestDescriptor> SubjectAsync(string repository) =>
        TestDescriptor.Of(MediaTypes.OciImageManifest, await services.PushImageAsync(repository, "subject"));

    /// <summary>
    /// An artifact manifest (OCI image-spec, guidelines for artifact usage): <c>artifactType</c>, the
    /// empty config, one layer, a subject and annotations. Pushes its blobs first.
    /// </summary>
    private async Task<byte[]> ArtifactAsync(string repository, TestDescriptor subject, string artifactType)
    {
        var layer = TestContent.NewBlob(128);
        await services.Blobs.PushBlobAsync(repository, EmptyJson);
        await services.Blobs.PushBlobAsync(repository, layer);
        var json = TestManifests.ImageJson(
            MediaTypes.OciImageManifest,
            TestDescriptor.Of(MediaTypes.OciEmpty, EmptyJson),
            TestDescriptor.Of("application/vnd.example.payload", layer));
        json["artifactType"] = artifactType;
        json["subject"] = subject.ToJson();
        json["annotations"] = new JsonObject
        {
            ["org.opencontainers.image.created"] = "2024-01-02T03:04:05Z",
            ["com.example.kind"] = artifactType,
        };
        return TestManifests.Serialize(json);
    }

    private async Task<byte[]> PushArtifactAsync(string repository, TestDescriptor subject, string artifactType)
    {
        var manifest = await ArtifactAsync(repository, subject, artifactType);
        using var response = await _manifests.PutManifestAsync(repository, TestManifests.DigestOf(manifest), manifest, MediaTypes.OciImageManifest);
        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        return manifest;
    }

    private static async Task<string[]> DigestsAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return [.. json.RootElement.GetProperty("manifests").EnumerateArray().Select(e => e.GetProperty("digest").GetString()!)];
    }
}
