using System.Net;
using System.Text.Json;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;
using StackExchange.Redis;

namespace RegistryCloud.ManifestService.Tests.Listings;

/// <summary>
/// ManifestService with Redis configured (and no notification endpoint): pushes keep the indexes,
/// and the tags list and catalog answer from them with the same pages and <c>Link</c> headers as
/// without Redis.
/// </summary>
public sealed class IndexedListingApiTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pushed_tags_and_repositories_are_paged_from_the_indexes()
    {
        await using var services = new RedisRegistryServices(redis.ConnectionString);
        var repository = TestContent.NewRepository();
        foreach (var tag in new[] { "b", "a", "c" })
        {
            await services.PushImageAsync(repository, tag);
        }

        using var first = await services.Manifests.GetAsync($"/v2/{repository}/tags/list?n=2", Token);
        await OciAssert.StatusAsync(first, HttpStatusCode.OK);
        Assert.Equal(["a", "b"], await NamesAsync(first, "tags"));
        Assert.Equal($"</v2/{repository}/tags/list?n=2&last=b>; rel=\"next\"", first.Headers.GetValues("Link").Single());
        using var last = await services.Manifests.GetAsync($"/v2/{repository}/tags/list?n=2&last=b", Token);
        Assert.Equal(["c"], await NamesAsync(last, "tags"));
        Assert.False(last.Headers.Contains("Link"));

        using var catalog = await services.Manifests.GetAsync("/v2/_catalog", Token);
        Assert.Equal([repository], await NamesAsync(catalog, "repositories"));

        Assert.Equal(3, await redis.Database.SortedSetLengthAsync((RedisKey)$"registry:listings:{{tags:{repository}}}:set"));
        Assert.NotNull(await redis.Database.SortedSetScoreAsync((RedisKey)"registry:listings:{catalog}:set", repository));
    }

    private static async Task<string[]> NamesAsync(HttpResponseMessage response, string property)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return [.. json.RootElement.GetProperty(property).EnumerateArray().Select(name => name.GetString()!)];
    }

    private sealed class RedisRegistryServices(string redis) : RegistryServices(
        deleteEnabled: false,
        new Dictionary<string, string> { ["ConnectionStrings:redis"] = redis });
}
