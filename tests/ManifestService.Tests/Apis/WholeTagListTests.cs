using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.ManifestService.Apis;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>
/// A tags list without <c>n</c> is the whole list (OCI spec, listing tags: "in addition to
/// fetching the whole list of tags, a subset ... by providing the n query parameter"), however
/// many tags the repository holds, read from the storage (here) or from the Redis index
/// (<see cref="IndexedWholeTagListTests"/>). It used to stop at the first 10,000 without a
/// <c>Link</c>, so a client that asked for every tag silently got part of them.
/// </summary>
public class WholeTagListTests
{

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_n_every_tag_comes_back_in_order_and_after_last_the_whole_rest()
    {
        await using var services = CreateServices();
        var tags = WriteTags(services.RootDirectory, "big/repo", Count);
        await AssertIndexedAsync(services, "big/repo", 0);

        using var whole = await services.Manifests.GetAsync("/v2/big/repo/tags/list", Token);
        await OciAssert.StatusAsync(whole, HttpStatusCode.OK);
        Assert.False(whole.Headers.Contains("Link"));
        Assert.Equal("application/json; charset=utf-8", whole.Content.Headers.ContentType?.ToString());
        var (name, listed) = await ReadAsync(whole);
        Assert.Equal("big/repo", name);
        Assert.Equal<string>(tags, listed);
        await AssertIndexedAsync(services, "big/repo", Count);

        using var rest = await services.Manifests.GetAsync($"/v2/big/repo/tags/list?last={tags[WholeTagList.PieceSize + 7]}", Token);
        await OciAssert.StatusAsync(rest, HttpStatusCode.OK);
        var after = (await ReadAsync(rest)).Tags;
        Assert.Equal<string>(tags[(WholeTagList.PieceSize + 8)..], after);

        // n still pages, with a Link to the next.
        using var paged = await services.Manifests.GetAsync("/v2/big/repo/tags/list?n=5", Token);
        var first = (await ReadAsync(paged)).Tags;
        Assert.Equal<string>(tags[..5], first);
        Assert.Equal($"</v2/big/repo/tags/list?n=5&last={tags[4]}>; rel=\"next\"", paged.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task An_unknown_repository_is_still_name_unknown()
    {
        await using var services = CreateServices();

        using var response = await services.Manifests.GetAsync("/v2/no/such/tags/list", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    /// <summary>
    /// More names than the largest page without <c>n</c> used to hold (the old answer stopped
    /// there), and more than one piece of the whole-list reader.
    /// </summary>
    private protected virtual int Count => Pagination.MaxPageSize + 345;

    private protected virtual RegistryServices CreateServices() => new();

    /// <summary>With Redis: the tag index holds that many names (built by the first read).</summary>
    private protected virtual Task AssertIndexedAsync(RegistryServices services, string repository, int count) => Task.CompletedTask;

    private static async Task<(string Name, string[] Tags)> ReadAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return (json.RootElement.GetProperty("name").GetString()!, [.. json.RootElement.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()!)]);
    }

    /// <summary>Tag links as Distribution lays them out, written straight into the root: pushing this many would take minutes.</summary>
    private static string[] WriteTags(string root, string repository, int count)
    {
        var link = "sha256:" + new string('a', 64);
        var tags = Enumerable.Range(0, count).Select(i => "t" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Parallel.ForEach(tags, tag =>
        {
            var path = Path.Join(root, RegistryPaths.TagCurrentLink(repository, tag));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, link);
        });

        return tags;
    }
}

/// <summary>The same with Redis: the pieces after the first come from the tag index.</summary>
public sealed class IndexedWholeTagListTests(RedisServer redis) : WholeTagListTests, IClassFixture<RedisServer>
{
    // Pieces of the reader beyond the first come from the index: a few are enough.
    private protected override int Count => (2 * WholeTagList.PieceSize) + 345;

    private protected override RegistryServices CreateServices() => new RedisRegistryServices(redis.ConnectionString);

    private protected override async Task AssertIndexedAsync(RegistryServices services, string repository, int count)
    {
        // The service connects in the background; a read before that walks the storage instead.
        var connection = services.ManifestServices.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>();
        await Poll.UntilAsync(() => connection.IsConnected, "ManifestService did not connect to Redis", TimeSpan.FromSeconds(20));
        Assert.Equal(count, await redis.Database.SortedSetLengthAsync((StackExchange.Redis.RedisKey)$"registry:listings:{{tags:{repository}}}:set"));
    }

    private sealed class RedisRegistryServices(string redis) : RegistryServices(
        deleteEnabled: false,
        new Dictionary<string, string> { ["ConnectionStrings:redis"] = redis });
}
