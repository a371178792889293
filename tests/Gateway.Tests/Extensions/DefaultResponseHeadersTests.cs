using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Extensions;

/// <summary>Without a configuration file the gateway runs on Distribution's defaults, which send nosniff.</summary>
public sealed class DefaultResponseHeadersTests(ProxiedGateway gateway) : IClassFixture<ProxiedGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Theory]
    [InlineData("/v2/")]
    [InlineData("/v2/alpine/manifests/latest")]
    public async Task The_default_configuration_sends_nosniff(string path)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, path);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
    }
}
