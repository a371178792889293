using System.Globalization;
using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Routing;

/// <summary>Read-only mode: pulls pass, pushes and deletes are refused at the door.</summary>
public sealed class ReadOnlyModeTests(ReadOnlyGateway gateway) : IClassFixture<ReadOnlyGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    // Each case names a repository of its own: the fixture's backends keep every path they saw,
    // and the pull cases, run in any order, must not make a refused push look forwarded.
    [Theory]
    [InlineData("POST", "/v2/{0}/blobs/uploads/")]
    [InlineData("PUT", "/v2/{0}/manifests/latest")]
    [InlineData("PATCH", "/v2/{0}/blobs/uploads/0b3c4e6e-3c1a-4b8e-9d7a-2f6f1a1b2c3d")]
    [InlineData("DELETE", "/v2/{0}/manifests/latest")]
    public async Task Pushes_and_deletes_answer_405_unsupported_without_reaching_a_service(string method, string pathFormat)
    {
        var path = string.Format(CultureInfo.InvariantCulture, pathFormat, TestContent.NewRepository());
        using var response = await _client.SendAsync(new HttpMethod(method), path);

        await OciAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.False(gateway.AnyBackendSaw(path));
    }

    [Theory]
    [InlineData("GET", "/v2/{0}/manifests/latest")]
    [InlineData("HEAD", "/v2/{0}/blobs/sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public async Task Pulls_still_reach_the_services(string method, string pathFormat)
    {
        var path = string.Format(CultureInfo.InvariantCulture, pathFormat, TestContent.NewRepository());
        using var response = await _client.SendAsync(new HttpMethod(method), path);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.True(gateway.AnyBackendSaw(path));
    }
}
