using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Configuration;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;
using StackExchange.Redis;

namespace RegistryCloud.ManifestService.Tests.Listings;

/// <summary>
/// The tag and catalog indexes in Redis are derived data: whatever happens to them (flushed, stamp
/// files removed, a rebuild racing writes, another replica's writes, retention in an offline gc,
/// Redis down), a listing says what the storage holds. Each test has its own storage, so its own
/// catalog stamp: indexes of other tests' storages in the shared Redis are never trusted by it.
/// </summary>
public sealed class ListingIndexTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tag_pages_from_the_index_follow_each_other_in_lexical_order()
    {
        var replica = new ListingReplica(new InMemoryStorageDriver(), redis.Connection);
        var repository = TestContent.NewRepository();
        var tags = Enumerable.Range(0, 40).Select(i => $"t{i * 7919 % 40}").Concat(["A", "Z", "_x", "a.b", "a-b"]).ToList();
        foreach (var tag in tags)
        {
            await replica.TagAsync(repository, tag);
        }

        Assert.Equal(tags.Order(StringComparer.Ordinal), await replica.AllTagsAsync(repository));
        Assert.Equal(tags.Count, await redis.Database.SortedSetLengthAsync(SetKey("tags:" + repository)));
    }

    [Fact]
    public async Task The_index_is_what_a_page_is_read_from_until_its_stamp_file_is_removed()
    {
        var driver = new InMemoryStorageDriver();
        var replica = new ListingReplica(driver, redis.Connection);
        var repository = TestContent.NewRepository();
        await replica.TagAsync(repository, "indexed");
        Assert.Equal(["indexed"], await replica.AllTagsAsync(repository));

        // A tag written behind the index's back (another registry on the same storage) is not seen...
        await driver.PutContentAsync(RegistryPaths.TagCurrentLink(repository, "behind"), RegistryPaths.LinkContent(ListingReplica.Manifest), Token);
        Assert.Equal(["indexed"], await replica.AllTagsAsync(repository));

        // ...until the stamp the index was built for is gone: then it is rebuilt from the layout.
        await driver.DeleteAsync(RegistryPaths.CatalogListingStamp, Token);
        Assert.Equal(["behind", "indexed"], await replica.AllTagsAsync(repository));
    }

    [Fact]
    public async Task After_FLUSHALL_every_tag_and_repository_is_listed_again()
    {
        var replica = new ListingReplica(new InMemoryStorageDriver(), redis.Connection);
        var repository = TestContent.NewRepository();
        await replica.CreateRepositoryAsync(repository);
        await replica.CreateRepositoryAsync(repository + "/sub");
        foreach (var tag in new[] { "b", "a", "c" })
        {
            await replica.TagAsync(repository, tag);
        }

        Assert.Equal(["a", "b", "c"], await replica.AllTagsAsync(repository));
        Assert.Equal([repository, repository + "/sub"], await replica.AllRepositoriesAsync(pageSize: 1));

        await redis.Database.ExecuteAsync("FLUSHALL");

        Assert.Equal(["a", "b", "c"], await replica.AllTagsAsync(repository));
        Assert.Equal([repository, repository + "/sub"], await replica.AllRepositoriesAsync(pageSize: 1));
    }

    [Fact]
    public async Task Two_replicas_sharing_storage_and_Redis_list_each_others_writes()
    {
        var driver = new InMemoryStorageDriver();
        using var first = await ConnectionMultiplexer.ConnectAsync(redis.AdminOptions());
        using var second = await ConnectionMultiplexer.ConnectAsync(redis.AdminOptions());
        var a = new ListingReplica(driver, first);
        var b = new ListingReplica(driver, second);
        var repository = TestContent.NewRepository();
        await a.CreateRepositoryAsync(repository);
        await a.TagAsync(repository, "one");
        Assert.Equal(["one"], await b.AllTagsAsync(repository));
        Assert.Equal([repository], await b.AllRepositoriesAsync());

        await b.TagAsync(repository, "two");
        await b.CreateRepositoryAsync(repository + "-b");
        Assert.True(await b.Tags.DeleteAsync(repository, "one", Token));

        Assert.Equal(["two"], await a.AllTagsAsync(repository));
        Assert.Equal([repository, repository + "-b"], await a.AllRepositoriesAsync());
    }

    [Fact]
    public async Task A_tag_rebuild_racing_a_push_and_a_delete_loses_neither()
    {
        var driver = new HookedDriver();
        using var other = await ConnectionMultiplexer.ConnectAsync(redis.AdminOptions());
        var rebuilding = new ListingReplica(driver, redis.Connection);
        var writing = new ListingReplica(driver, other);
        var repository = TestContent.NewRepository();
        await writing.TagAsync(repository, "deleted");
        await writing.TagAsync(repository, "kept");

        // The rebuild has read the tags folder; then a push and a delete land before it swaps.
        driver.ArmedPath = RegistryPaths.TagsDirectory(repository);
        driver.OnListed = async () =>
        {
            await writing.TagAsync(repository, "pushed");
            Assert.True(await writing.Tags.DeleteAsync(repository, "deleted", Token));
        };
        await redis.Database.KeyDeleteAsync(StateKey("tags:" + repository));

        Assert.Equal(["kept", "pushed"], await rebuilding.AllTagsAsync(repository));
        Assert.Null(driver.OnListed);
        Assert.Equal(2, await redis.Database.SortedSetLengthAsync(SetKey("tags:" + repository)));
    }

    [Fact]
    public async Task A_catalog_rebuild_racing_a_new_repository_keeps_it()
    {
        var driver = new HookedDriver();
        using var other = await ConnectionMultiplexer.ConnectAsync(redis.AdminOptions());
        var rebuilding = new ListingReplica(driver, redis.Connection);
        var writing = new ListingReplica(driver, other);
        var repository = TestContent.NewRepository();
        await writing.CreateRepositoryAsync(repository + "/a");

        driver.ArmedPath = StoragePath.Parent(RegistryPaths.Repository(repository));
        // A new folder at the top, beside the ones the walk has already listed.
        driver.OnListed = () => writing.CreateRepositoryAsync(repository + "-b");

        Assert.Equal([repository + "-b", repository + "/a"], await rebuilding.AllRepositoriesAsync());
        Assert.Null(driver.OnListed);
    }

    [Fact]
    public async Task Retention_in_a_gc_without_Redis_leaves_no_index_listing_a_removed_tag()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var driver = new InMemoryStorageDriver(time);
        var replica = new ListingReplica(driver, redis.Connection);
        var repository = "ci/" + TestContent.NewRepository();
        await replica.TagAsync(repository, "old");
        time.Advance(TimeSpan.FromDays(40));
        await replica.TagAsync(repository, "new");
        Assert.Equal(["new", "old"], await replica.AllTagsAsync(repository));

        var policies = new PoliciesConfiguration
        {
            Retention = [new RetentionRule("ci/**", null, [], TimeSpan.FromDays(30), null, "policies.retention[0]")],
        };
        var report = await new GarbageCollector(driver, new InMemoryGcCoordinator(time), time)
            .RunAsync(new GcOptions { Delay = TimeSpan.Zero, Policies = policies }, Token);

        Assert.Equal(1, report.TagsRemoved);
        Assert.Equal(["new"], await replica.AllTagsAsync(repository));
    }

    [Fact]
    public async Task Writes_while_Redis_is_down_are_listed_from_storage_and_after_it_returns()
    {
        using var directory = new TemporaryDirectory();
        await using var own = await RedisServer.StartPersistentAsync(directory.Path);
        var replica = new ListingReplica(new InMemoryStorageDriver(), own.Connection);
        var repository = TestContent.NewRepository();
        await replica.CreateRepositoryAsync(repository);
        await replica.TagAsync(repository, "before");
        Assert.Equal(["before"], await replica.AllTagsAsync(repository));
        Assert.Equal([repository], await replica.AllRepositoriesAsync());

        await own.StopAsync();
        await Poll.UntilAsync(() => !own.Connection.IsConnected, "the client still thinks Redis is there");
        await replica.TagAsync(repository, "during");
        Assert.True(await replica.Tags.DeleteAsync(repository, "before", Token));
        await replica.CreateRepositoryAsync(repository + "/during");
        Assert.Equal(["during"], await replica.AllTagsAsync(repository));
        Assert.Equal([repository, repository + "/during"], await replica.AllRepositoriesAsync());

        // Redis comes back with the indexes it had saved, which no longer match the storage.
        await own.RestartAsync();
        Assert.Equal(1, await own.Database.SortedSetLengthAsync(SetKey("tags:" + repository)));
        Assert.Equal(["during"], await replica.AllTagsAsync(repository));
        Assert.Equal([repository, repository + "/during"], await replica.AllRepositoriesAsync());
    }

    private static RedisKey SetKey(string index) => $"registry:listings:{{{index}}}:set";

    private static RedisKey StateKey(string index) => $"registry:listings:{{{index}}}:state";
}
