using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Routing;

/// <summary>A service that cannot be reached still gets the client an OCI error, not YARP's bare 502.</summary>
public sealed class UnavailableBackendTests(UnavailableGateway gateway) : IClassFixture<UnavailableGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Theory]
    [InlineData("GET", "/v2/alpine/blobs/sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("POST", "/v2/a/b/blobs/uploads/")]
    [InlineData("GET", "/v2/alpine/manifests/latest")]
    [InlineData("GET", "/v2/_catalog")]
    public async Task A_dead_backend_answers_503_UNAVAILABLE_with_the_api_version(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpMethod(method), path);

        await OciAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        Assert.Equal("registry/2.0", response.Header("Docker-Distribution-API-Version"));
    }

    [Fact]
    public async Task A_head_request_to_a_dead_backend_answers_503_without_a_body()
    {
        using var response = await _client.SendAsync(HttpMethod.Head, "/v2/alpine/manifests/latest");

        await OciAssert.StatusAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_base_path_still_answers_200_when_the_backends_are_down()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
    }
}
