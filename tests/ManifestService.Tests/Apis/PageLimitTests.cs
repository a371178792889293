using System.Net;
using System.Text.Json;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>
/// <c>catalog.maxentries</c> and <c>tags.maxtags</c>, as Distribution applies them: a catalog page
/// holds at most <c>maxentries</c> names (a larger <c>n</c> is refused; without <c>n</c> the page
/// is that size, with a <c>Link</c>), and a tags page at most <c>maxtags</c> (a larger <c>n</c> is
/// clamped, with a <c>Link</c>).
/// </summary>
public sealed class PageLimitTests
{
    private static readonly string[] Repositories = ["alpha", "beta", "gamma"];
    private static readonly string[] Tags = ["a", "b", "c", "d"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_catalog_n_above_maxentries_answers_400_PAGINATION_NUMBER_INVALID()
    {
        await using var services = new SmallPageRegistryServices();

        using var response = await services.Manifests.GetAsync("/v2/_catalog?n=3", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task A_catalog_without_n_is_paged_by_maxentries_with_a_Link()
    {
        await using var services = new SmallPageRegistryServices();
        foreach (var repository in Repositories)
        {
            await services.PushImageAsync(repository, "latest");
        }

        using var response = await services.Manifests.GetAsync("/v2/_catalog", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(["alpha", "beta"], await NamesAsync(response, "repositories"));
        Assert.Equal("</v2/_catalog?n=2&last=beta>; rel=\"next\"", response.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task A_tags_n_above_maxtags_gets_maxtags_tags_and_a_Link()
    {
        await using var services = new SmallPageRegistryServices();
        var repository = TestContent.NewRepository();
        foreach (var tag in Tags)
        {
            await services.PushImageAsync(repository, tag);
        }

        using var response = await services.Manifests.GetAsync($"/v2/{repository}/tags/list?n=100", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(["a", "b", "c"], await NamesAsync(response, "tags"));
        Assert.Equal($"</v2/{repository}/tags/list?n=3&last=c>; rel=\"next\"", response.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task Tags_without_n_are_all_listed_whatever_maxtags_says()
    {
        await using var services = new SmallPageRegistryServices();
        var repository = TestContent.NewRepository();
        foreach (var tag in Tags)
        {
            await services.PushImageAsync(repository, tag);
        }

        using var response = await services.Manifests.GetAsync($"/v2/{repository}/tags/list", Token);

        Assert.Equal(Tags, await NamesAsync(response, "tags"));
        Assert.False(response.Headers.Contains("Link"));
    }

    private static async Task<string[]> NamesAsync(HttpResponseMessage response, string property)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return [.. json.RootElement.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>ManifestService with <c>catalog.maxentries: 2</c> and <c>tags.maxtags: 3</c>, set Distribution's way.</summary>
    private sealed class SmallPageRegistryServices() : RegistryServices(
        deleteEnabled: false,
        new Dictionary<string, string> { ["REGISTRY_CATALOG_MAXENTRIES"] = "2", ["REGISTRY_TAGS_MAXTAGS"] = "3" });
}
