using System.Net;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>
/// A manifest path whose reference is neither a tag nor a digest. Pulling one names no manifest
/// that could exist, so it is unknown (404), as the OCI conformance suite checks with
/// <c>.INVALID_MANIFEST_NAME</c>; pushing one is a malformed request and stays 400.
/// </summary>
public sealed class ManifestReferenceTests(DeletingRegistryServices services) : IClassFixture<DeletingRegistryServices>
{
    private readonly HttpClient _manifests = services.Manifests;

    public static TheoryData<string> MalformedReferences() =>
    [
        ".INVALID_MANIFEST_NAME",
        "-leading-dash",
        new string('t', Tag.MaxLength + 1),
        "sha256:not-hex",
        "sha256:abc",
    ];

    [Theory]
    [MemberData(nameof(MalformedReferences))]
    public async Task GET_of_a_reference_that_is_neither_a_tag_nor_a_digest_answers_404_MANIFEST_UNKNOWN(string reference)
    {
        var repository = TestContent.NewRepository();
        await services.PushImageAsync(repository, "latest");

        using var response = await _manifests.GetAsync($"/v2/{repository}/manifests/{reference}", TestContext.Current.CancellationToken);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Theory]
    [MemberData(nameof(MalformedReferences))]
    public async Task HEAD_of_a_reference_that_is_neither_a_tag_nor_a_digest_answers_404_without_a_body(string reference)
    {
        var repository = TestContent.NewRepository();
        await services.PushImageAsync(repository, "latest");

        using var response = await _manifests.SendAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{reference}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(".INVALID_MANIFEST_NAME", "TAG_INVALID")]
    [InlineData("sha256:not-hex", "DIGEST_INVALID")]
    public async Task PUT_of_a_malformed_reference_still_answers_400(string reference, string code)
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository);

        using var response = await _manifests.PutManifestAsync(repository, reference, manifest, MediaTypes.OciImageManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData(".INVALID_MANIFEST_NAME", "TAG_INVALID")]
    [InlineData("sha256:not-hex", "DIGEST_INVALID")]
    public async Task DELETE_of_a_malformed_reference_still_answers_400(string reference, string code)
    {
        var repository = TestContent.NewRepository();
        await services.PushImageAsync(repository, "latest");

        using var response = await _manifests.DeleteAsync($"/v2/{repository}/manifests/{reference}", TestContext.Current.CancellationToken);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code);
    }
}
