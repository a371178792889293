using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Authorization;

/// <summary>
/// A filtered catalog page asks ManifestService for further pages of 10,000 names until it holds
/// <c>n</c> visible names or the catalog ends, and at most four times per request: past that it
/// answers what it found, with a <c>Link</c> from the last visible name, or — when it found none —
/// as the end of the listing, since a <c>Link</c> could only name a repository the caller may not see.
/// </summary>
public sealed class CatalogScanBoundTests(LongCatalogGateway gateway) : IClassFixture<LongCatalogGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task Further_upstream_pages_are_read_until_the_page_holds_n_visible_names()
    {
        var before = gateway.CatalogRequests;

        using var response = await GetAsync("/v2/_catalog?n=3");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal([LongCatalogGateway.Name(0), LongCatalogGateway.Name(15_000), LongCatalogGateway.Name(25_000)], await CatalogPagingTests.ReadAsync(response));
        Assert.Equal("</v2/_catalog?n=3&last=r25000%2Fvisible>; rel=\"next\"", response.Header("Link"));
        Assert.Equal(3, gateway.CatalogRequests - before);
    }

    [Fact]
    public async Task After_four_upstream_pages_the_names_found_are_answered_with_a_Link_from_the_last_of_them()
    {
        var before = gateway.CatalogRequests;

        using var response = await GetAsync("/v2/_catalog?n=5");

        Assert.Equal([LongCatalogGateway.Name(0), LongCatalogGateway.Name(15_000), LongCatalogGateway.Name(25_000)], await CatalogPagingTests.ReadAsync(response));
        Assert.Equal("</v2/_catalog?n=5&last=r25000%2Fvisible>; rel=\"next\"", response.Header("Link"));
        Assert.Equal(4, gateway.CatalogRequests - before);
    }

    [Fact]
    public async Task Four_upstream_pages_without_a_visible_name_end_the_listing_rather_than_name_a_hidden_one()
    {
        var before = gateway.CatalogRequests;

        using var response = await GetAsync("/v2/_catalog?n=5&last=r25000/visible");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Empty(await CatalogPagingTests.ReadAsync(response));
        Assert.Null(response.Header("Link"));
        Assert.Equal(4, gateway.CatalogRequests - before);
    }

    private Task<HttpResponseMessage> GetAsync(string path) =>
        _client.GetAsync(path, request => request.Headers.Authorization = Htpasswd.Basic("bob", CatalogGateway.Password));
}
