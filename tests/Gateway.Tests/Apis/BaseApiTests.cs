using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Apis;

/// <summary><c>/v2/</c>, the version check every client makes first, answered by the gateway itself.</summary>
public sealed class BaseApiTests(ProxiedGateway gateway) : IClassFixture<ProxiedGateway>
{
    private const string ApiVersionHeader = "Docker-Distribution-API-Version";
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task Get_v2_answers_200_with_an_empty_json_object_and_the_api_version()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("registry/2.0", response.Header(ApiVersionHeader));
    }

    [Fact]
    public async Task Head_v2_answers_200_with_the_api_version_and_no_body()
    {
        using var response = await _client.SendAsync(HttpMethod.Head, "/v2/");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("registry/2.0", response.Header(ApiVersionHeader));
        Assert.Equal(2, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_base_path_is_answered_without_asking_a_backend()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.False(gateway.AnyBackendSaw("/v2/"));
    }

    [Fact]
    public async Task A_post_to_the_base_path_answers_404_NOT_FOUND_with_the_api_version()
    {
        using var response = await _client.SendAsync(HttpMethod.Post, "/v2/");

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal("registry/2.0", response.Header(ApiVersionHeader));
    }
}
