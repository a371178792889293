using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Routing;

/// <summary>
/// One route, two clusters: the shared OCI path parser sends blob and upload paths to
/// BlobService and everything else to ManifestService, reading the path from its end because
/// repository names hold '/' and may hold "blobs" or "manifests" as a component.
/// </summary>
public sealed class ClusterSelectionTests(ProxiedGateway gateway) : IClassFixture<ProxiedGateway>
{
    private const string Digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string UploadId = "3f2b6a4e-8c1d-4e5f-9a7b-0c1d2e3f4a5b";
    private readonly HttpClient _client = gateway.CreateClient();

    public static TheoryData<string, string> BlobRequests() => new()
    {
        { "GET", $"/v2/alpine/blobs/{Digest}" },
        { "DELETE", $"/v2/a/b/c/blobs/{Digest}" },
        { "POST", "/v2/a/b/c/blobs/uploads/" },
        { "POST", "/v2/a/b/c/blobs/uploads" },
        { "PATCH", $"/v2/library/ubuntu/blobs/uploads/{UploadId}" },
        { "PUT", $"/v2/library/ubuntu/blobs/uploads/{UploadId}" },
        { "GET", $"/v2/blobs/blobs/{Digest}" },
        { "GET", $"/v2/manifests/blobs/{Digest}" },
        { "POST", "/v2/team/blobs/uploads/blobs/uploads/" },
    };

    public static TheoryData<string, string> ManifestRequests() => new()
    {
        { "GET", "/v2/alpine/manifests/latest" },
        { "GET", "/v2/alpine/manifests/.INVALID_MANIFEST_NAME" },
        { "PUT", "/v2/a/b/c/manifests/v1.0" },
        { "DELETE", $"/v2/a/b/c/manifests/{Digest}" },
        { "GET", "/v2/blobs/manifests/latest" },
        { "GET", "/v2/a/blobs/b/manifests/latest" },
        { "GET", "/v2/x/blobs/uploads/manifests/latest" },
        { "GET", "/v2/a/b/c/tags/list" },
        { "GET", "/v2/blobs/tags/list" },
        { "GET", "/v2/_catalog" },
        { "GET", $"/v2/a/b/referrers/{Digest}" },
    };

    [Theory]
    [MemberData(nameof(BlobRequests))]
    public async Task Blob_and_upload_paths_reach_the_blob_service_unchanged(string method, string path)
    {
        var received = await SendAsync(method, path);

        Assert.Equal("blobs", received.Backend);
        Assert.Equal(method, received.Method);
        Assert.Equal(path, received.Path);
    }

    [Theory]
    [MemberData(nameof(ManifestRequests))]
    public async Task Manifest_tag_catalog_and_referrer_paths_reach_the_manifest_service_unchanged(string method, string path)
    {
        var received = await SendAsync(method, path);

        Assert.Equal("manifests", received.Backend);
        Assert.Equal(method, received.Method);
        Assert.Equal(path, received.Path);
    }

    [Fact]
    public async Task The_query_and_the_body_reach_the_backend()
    {
        var path = $"/v2/a/b/blobs/uploads/{UploadId}";
        var body = TestContent.NewBlob(100_000);

        using var response = await _client.PutAsync($"{path}?digest={Digest}", RegistryHttp.Octets(body), TestContext.Current.CancellationToken);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        var received = await ReceivedRequest.ReadAsync(response);
        Assert.Equal($"?digest={Digest}", received.Query);
        Assert.Equal(body.Length, received.BodyLength);
    }

    [Fact]
    public async Task Proxied_responses_carry_the_api_version_header()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/alpine/manifests/latest");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("manifests", (await ReceivedRequest.ReadAsync(response)).Backend);
        Assert.Equal("registry/2.0", response.Header("Docker-Distribution-API-Version"));
    }

    public static TheoryData<string, string> InvalidNameRequests() => new()
    {
        { "GET", "/v2/Upper/manifests/latest" },
        { "POST", "/v2/a__-b/blobs/uploads/" },
        { "GET", $"/v2/-a/blobs/{Digest}" },
        { "GET", "/v2/a//b/tags/list" },
        { "GET", $"/v2/a./referrers/{Digest}" },
        { "GET", $"/v2/{new string('a', 200)}/{new string('b', 56)}/manifests/latest" },
    };

    [Theory]
    [MemberData(nameof(InvalidNameRequests))]
    public async Task An_invalid_repository_name_answers_400_NAME_INVALID_without_reaching_a_backend(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpMethod(method), path);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
        Assert.Equal("registry/2.0", response.Header("Docker-Distribution-API-Version"));
        Assert.False(gateway.AnyBackendSaw(path));
    }

    [Theory]
    [InlineData("/v2/alpine")]
    [InlineData("/v2/a/b/c")]
    [InlineData("/v2/alpine/manifests/")]
    [InlineData("/v2/alpine/tags/all")]
    [InlineData("/v2/alpine/referrers/")]
    [InlineData("/v2/_catalog/more")]
    public async Task A_path_under_v2_that_is_no_registry_resource_answers_404_NOT_FOUND(string path)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, path);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("registry/2.0", response.Header("Docker-Distribution-API-Version"));
        Assert.False(gateway.AnyBackendSaw(path));
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/v1/")]
    [InlineData("DELETE", "/v2x/")]
    [InlineData("POST", "/v3/alpine/blobs/uploads/")]
    [InlineData("GET", "/favicon.ico")]
    [InlineData("PATCH", "/tags/list")]
    public async Task A_path_outside_v2_answers_404_NOT_FOUND_with_the_OCI_error_body(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpMethod(method), path);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.False(gateway.AnyBackendSaw(path));
    }

    private async Task<ReceivedRequest> SendAsync(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpMethod(method), path);
        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        return await ReceivedRequest.ReadAsync(response);
    }
}
