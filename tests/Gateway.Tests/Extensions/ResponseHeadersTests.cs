using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Extensions;

/// <summary><c>http.headers</c> from config.yml and from <c>REGISTRY_HTTP_HEADERS_*</c>, on every kind of answer.</summary>
public sealed class ResponseHeadersTests(ConfiguredHeadersGateway gateway) : IClassFixture<ConfiguredHeadersGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Theory]
    [InlineData("GET", "/v2/", HttpStatusCode.OK)]
    [InlineData("HEAD", "/v2/", HttpStatusCode.OK)]
    [InlineData("GET", "/v2/alpine/manifests/latest", HttpStatusCode.OK)]
    [InlineData("POST", "/v2/alpine/blobs/uploads/", HttpStatusCode.OK)]
    [InlineData("GET", "/v2/Upper/manifests/latest", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/v2/not-a-resource", HttpStatusCode.NotFound)]
    public async Task Configured_headers_appear_on_every_response(string method, string path, HttpStatusCode status)
    {
        using var response = await _client.SendAsync(new HttpMethod(method), path);

        await OciAssert.StatusAsync(response, status);
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
        Assert.Equal(["first", "second"], response.Headers.GetValues("X-Registry-Note"));
        Assert.Equal("from the environment", response.Header(ConfiguredHeadersGateway.EnvironmentHeader));
    }

    [Fact]
    public async Task A_configuration_file_replaces_the_default_headers()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/");

        Assert.Null(response.Header("X-Content-Type-Options"));
    }
}
