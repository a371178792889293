using System.Net;
using System.Text.Json;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Authorization;

/// <summary>
/// <c>GET /v2/_catalog</c> filtered by <c>accesscontrol</c>, page by page: each page holds up to
/// <c>n</c> names the caller may pull, its <c>Link</c> is computed from those names only, and no
/// header or body ever names a repository the caller may not see.
/// </summary>
public sealed class CatalogPagingTests(InterleavedCatalogGateway gateway) : IClassFixture<InterleavedCatalogGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task Following_Link_headers_lists_every_visible_repository_once_in_full_pages_of_n()
    {
        var pages = new List<string[]>();
        var links = new List<string>();
        var next = "/v2/_catalog?n=3";
        while (next is not null && pages.Count < 20)
        {
            using var response = await GetAsync(next);
            await OciAssert.StatusAsync(response, HttpStatusCode.OK);
            pages.Add(await ReadAsync(response));
            next = response.Header("Link") is { } link ? Target(link) : null;
            links.Add(response.Header("Link") ?? "");
        }

        Assert.Equal(
            [["r00/visible", "r03/visible", "r06/visible"], ["r09/visible", "r12/visible", "r15/visible"], ["r18/visible", "r21/visible", "r24/visible"], ["r27/visible"]],
            pages);
        Assert.Equal(
            ["</v2/_catalog?n=3&last=r06%2Fvisible>; rel=\"next\"", "</v2/_catalog?n=3&last=r15%2Fvisible>; rel=\"next\"", "</v2/_catalog?n=3&last=r24%2Fvisible>; rel=\"next\"", ""],
            links);
    }

    [Theory]
    [InlineData("/v2/_catalog?n=1")]
    [InlineData("/v2/_catalog?n=2&last=r03/visible")]
    [InlineData("/v2/_catalog?n=4&last=r01/hidden")]
    [InlineData("/v2/_catalog")]
    public async Task No_header_or_body_names_a_hidden_repository(string path)
    {
        using var response = await GetAsync(path);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.DoesNotContain("hidden", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            Assert.True(!values.Any(value => value.Contains("hidden", StringComparison.Ordinal)), $"{name}: {string.Join(", ", values)}");
        }
    }

    [Fact]
    public async Task Without_n_every_visible_name_comes_in_one_page_without_a_Link_as_ManifestService_answers()
    {
        using var response = await GetAsync("/v2/_catalog");

        Assert.Equal(10, (await ReadAsync(response)).Length);
        Assert.Null(response.Header("Link"));
    }

    [Fact]
    public async Task A_page_that_reaches_the_end_has_no_Link()
    {
        using var response = await GetAsync("/v2/_catalog?n=5&last=r20/hidden");

        Assert.Equal(["r21/visible", "r24/visible", "r27/visible"], await ReadAsync(response));
        Assert.Null(response.Header("Link"));
    }

    [Fact]
    public async Task n_of_0_answers_an_empty_page_without_a_Link()
    {
        using var response = await GetAsync("/v2/_catalog?n=0");

        Assert.Empty(await ReadAsync(response));
        Assert.Null(response.Header("Link"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("+3")]
    [InlineData("10001")]
    [InlineData("99999999999")]
    public async Task An_invalid_n_answers_400_PAGINATION_NUMBER_INVALID_as_ManifestService_does(string n)
    {
        var before = gateway.CatalogRequests;

        using var response = await GetAsync($"/v2/_catalog?n={Uri.EscapeDataString(n)}");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
        Assert.Equal(before, gateway.CatalogRequests);
    }

    [Fact]
    public async Task A_ManifestService_that_cannot_be_reached_answers_503_UNAVAILABLE()
    {
        using var files = new TemporaryDirectory();
        var config = Path.Combine(files.Path, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            storage: inmemory
            accesscontrol:
              rules:
                - anonymous: true
                  repository: "**"
                  actions: [pull]
            """, TestContext.Current.CancellationToken);
        var settings = GatewaySettings.ProxyTo(LoopbackPorts.ClosedAddress(), LoopbackPorts.ClosedAddress());
        settings[GatewaySettings.ConfigurationPath] = config;
        await using var unavailable = new GatewayFactory(settings);
        using var client = unavailable.CreateRegistryClient();

        using var response = await client.SendAsync(HttpMethod.Get, "/v2/_catalog?n=10");

        await OciAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
    }

    internal static async Task<string[]> ReadAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. body.RootElement.GetProperty("repositories").EnumerateArray().Select(name => name.GetString()!)];
    }

    /// <summary>The target of <c>&lt;target&gt;; rel="next"</c>.</summary>
    private static string Target(string link) => link[1..link.IndexOf('>', StringComparison.Ordinal)];

    private Task<HttpResponseMessage> GetAsync(string path) =>
        _client.GetAsync(path, request => request.Headers.Authorization = Htpasswd.Basic("bob", CatalogGateway.Password));
}
