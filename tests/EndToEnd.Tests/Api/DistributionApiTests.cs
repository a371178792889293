using System.Net;
using System.Text.Json.Nodes;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Api;

/// <summary>The wire details clients check before anything else: the base endpoint and OCI error bodies.</summary>
[Collection(RegistryCollection.Name)]
public sealed class DistributionApiTests(RegistryAppFixture registry)
{
    [Fact]
    public async Task Base_endpoint_answers_200_with_the_registry_api_version_header()
    {
        using var response = await registry.Http.GetAsync("v2/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(
            response.Headers.TryGetValues("Docker-Distribution-API-Version", out var versions),
            "GET /v2/ has no Docker-Distribution-API-Version header.");
        Assert.Equal(["registry/2.0"], versions);
    }

    [Fact]
    public async Task Unknown_blob_answers_404_with_BLOB_UNKNOWN()
    {
        var unknown = OciBlob.DigestOf(Guid.NewGuid().ToByteArray());

        var body = await registry.Http.GetJsonAsync(
            $"v2/e2e/errors/blobs/{unknown}", HttpStatusCode.NotFound, TestContext.Current.CancellationToken);

        Assert.Equal("BLOB_UNKNOWN", FirstErrorCode(body));
    }

    [Fact]
    public async Task Manifest_get_with_a_malformed_digest_answers_404_MANIFEST_UNKNOWN_with_an_errors_array()
    {
        // Algorithm and length are right, the encoding is not: upper-case hex is not a sha256 digest.
        // A reference that is neither a tag nor a digest names no manifest: 404, as Distribution
        // answers (it reads such a reference as a tag it does not have) and the OCI conformance
        // suite expects of a GET (issue 15, defect 9).
        var malformed = "sha256:" + new string('A', 64);

        var body = await registry.Http.GetJsonAsync(
            $"v2/e2e/errors/manifests/{malformed}", HttpStatusCode.NotFound, TestContext.Current.CancellationToken);

        Assert.Equal("MANIFEST_UNKNOWN", FirstErrorCode(body));
    }

    /// <summary><c>errors[0].code</c> of an OCI error body (distribution-spec, "Error Codes").</summary>
    private static string? FirstErrorCode(JsonNode body)
    {
        var errors = body["errors"] as JsonArray;
        Assert.True(errors is { Count: > 0 }, $"The body has no errors array: {body.ToJsonString()}");
        return errors[0]?["code"]?.GetValue<string>();
    }
}
