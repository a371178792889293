using System.Globalization;
using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Authorization;

/// <summary>
/// The filtered catalog keeps to <c>catalog.maxentries</c> as ManifestService does: a larger
/// <c>n</c> is refused before anything is read, a page without <c>n</c> holds that many visible
/// names with a <c>Link</c>, and ManifestService is read in pages no larger.
/// </summary>
public sealed class CatalogMaxEntriesTests(SmallPageCatalogGateway gateway) : IClassFixture<SmallPageCatalogGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task An_n_above_maxentries_answers_400_PAGINATION_NUMBER_INVALID_without_reading_the_catalog()
    {
        var before = gateway.CatalogRequests;

        using var response = await GetAsync("/v2/_catalog?n=5");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
        Assert.Equal(before, gateway.CatalogRequests);
    }

    [Fact]
    public async Task Without_n_the_page_holds_maxentries_visible_names_and_a_Link()
    {
        using var response = await GetAsync("/v2/_catalog");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(["r00/visible", "r03/visible", "r06/visible", "r09/visible"], await CatalogPagingTests.ReadAsync(response));
        Assert.Equal("</v2/_catalog?n=4&last=r09%2Fvisible>; rel=\"next\"", response.Header("Link"));
    }

    [Fact]
    public async Task ManifestService_is_read_in_pages_of_maxentries()
    {
        using var response = await GetAsync("/v2/_catalog?n=2");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.All(
            gateway.Manifests.Received.Where(request => request.Path == "/v2/_catalog"),
            request => Assert.StartsWith("?n=4", request.Query, StringComparison.Ordinal));
    }

    private Task<HttpResponseMessage> GetAsync(string path) =>
        _client.GetAsync(path, request => request.Headers.Authorization = Htpasswd.Basic("bob", CatalogGateway.Password));
}

/// <summary>Thirty repositories, every third one visible to bob, and <c>catalog.maxentries: 4</c> set Distribution's way.</summary>
public sealed class SmallPageCatalogGateway : CatalogGateway
{
    internal override IReadOnlyList<string> Names { get; } =
        [.. Enumerable.Range(0, 30).Select(i => string.Create(CultureInfo.InvariantCulture, $"r{i:00}/{(i % 3 == 0 ? "visible" : "hidden")}"))];

    private protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [.. base.Settings(), new("REGISTRY_CATALOG_MAXENTRIES", "4")];
}
