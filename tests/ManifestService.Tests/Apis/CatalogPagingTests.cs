using System.Net;
using System.Text.Json;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>
/// <c>n</c>/<c>last</c> pagination of the catalog, and <c>n=0</c> on the catalog and tags list.
/// Each test starts its own services, so the catalog holds exactly the repositories it pushed.
/// </summary>
public sealed class CatalogPagingTests
{
    private static readonly string[] Repositories = ["alpha/one", "alpha/two", "beta", "gamma/x/y", "zeta"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pages_of_n_repositories_follow_each_other_through_the_Link_header()
    {
        await using var services = new RegistryServices();
        await PushAllAsync(services);
        var pages = new List<string[]>();
        var next = "/v2/_catalog?n=2";

        while (next is not null && pages.Count < Repositories.Length)
        {
            using var response = await services.Manifests.GetAsync(next, Token);
            await OciAssert.StatusAsync(response, HttpStatusCode.OK);
            pages.Add(await ReadAsync(response));
            next = NextLink(response);
        }

        Assert.Equal([["alpha/one", "alpha/two"], ["beta", "gamma/x/y"], ["zeta"]], pages);
    }

    [Fact]
    public async Task The_Link_header_names_the_next_page_after_the_last_repository_given()
    {
        await using var services = new RegistryServices();
        await PushAllAsync(services);

        using var response = await services.Manifests.GetAsync("/v2/_catalog?n=2&last=alpha/two", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(["beta", "gamma/x/y"], await ReadAsync(response));
        Assert.Equal("</v2/_catalog?n=2&last=gamma%2Fx%2Fy>; rel=\"next\"", response.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task The_last_page_has_no_Link_header()
    {
        await using var services = new RegistryServices();
        await PushAllAsync(services);

        using var response = await services.Manifests.GetAsync("/v2/_catalog?n=2&last=gamma/x/y", Token);

        Assert.Equal(["zeta"], await ReadAsync(response));
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task A_catalog_page_of_n_0_is_empty_without_a_Link_header()
    {
        await using var services = new RegistryServices();
        await PushAllAsync(services);

        using var response = await services.Manifests.GetAsync("/v2/_catalog?n=0", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Empty(await ReadAsync(response));
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task A_tags_page_of_n_0_is_empty_without_a_Link_header()
    {
        await using var services = new RegistryServices();
        var repository = TestContent.NewRepository();
        await services.PushImageAsync(repository, "latest");

        using var response = await services.Manifests.GetAsync($"/v2/{repository}/tags/list?n=0", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal($$"""{"name":"{{repository}}","tags":[]}""", await response.Content.ReadAsStringAsync(Token));
        Assert.False(response.Headers.Contains("Link"));
    }

    private static async Task PushAllAsync(RegistryServices services)
    {
        // A repository holding only blobs, no manifests: the catalog does not list it.
        await services.PushImageBlobsAsync("blobsonly");
        foreach (var repository in Repositories.OrderDescending(StringComparer.Ordinal))
        {
            await services.PushImageAsync(repository, "latest");
        }
    }

    private static async Task<string[]> ReadAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return [.. json.RootElement.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>The target of <c>Link: &lt;...&gt;; rel="next"</c>, or null when there is none.</summary>
    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        var link = values.Single();
        Assert.EndsWith("; rel=\"next\"", link);
        return link[1..link.IndexOf('>', StringComparison.Ordinal)];
    }
}
