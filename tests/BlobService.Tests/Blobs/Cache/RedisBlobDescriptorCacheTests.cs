using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Blobs.Cache;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;
using StackExchange.Redis;

namespace RegistryCloud.BlobService.Tests.Blobs.Cache;

/// <summary>The contract, on a real <c>redis-server</c>; Redis keeps time itself, so the TTL test waits for its keys to expire.</summary>
public sealed class RedisBlobDescriptorCacheTests(RedisServer redis) : BlobDescriptorCacheContract, IClassFixture<RedisServer>
{
    private protected override TimeSpan ShortTtl => TimeSpan.FromSeconds(2);

    private protected override IBlobDescriptorCache CreateCache(BlobDescriptorCacheOptions options) =>
        new RedisBlobDescriptorCache(redis.Connection, options);

    /// <summary>
    /// Redis keeps time itself, so there is no clock to move: every key it would expire within
    /// <paramref name="elapsed"/> is waited out, and every other key stays, as it would.
    /// </summary>
    private protected override async Task AdvanceAsync(TimeSpan elapsed)
    {
        var due = new List<RedisKey>();
        await foreach (var key in redis.Connection.GetServer(redis.ConnectionString).KeysAsync())
        {
            if (await redis.Database.KeyTimeToLiveAsync(key) is { } left && left <= elapsed)
            {
                due.Add(key);
            }
        }

        await Poll.UntilAsync(
            async () => await redis.Database.KeyExistsAsync([.. due]) == 0,
            $"Redis did not expire the {due.Count} keys due within {elapsed.TotalSeconds:0.#} s",
            elapsed + Poll.DefaultTimeout);
    }

    [Fact]
    public async Task Keys_live_under_the_cache_prefix_apart_from_the_event_stream()
    {
        var options = new BlobDescriptorCacheOptions();
        var cache = CreateCache(options);
        var repository = TestContent.NewRepository();
        var digest = Digest.Compute(Guid.NewGuid().ToByteArray());

        await cache.SetAsync(repository, new BlobDescriptor(digest, 1, MediaTypes.OctetStream), Token);

        var key = $"{options.RedisKeyPrefix}repository::{repository}::blobs::{digest}";
        Assert.StartsWith("registry:cache:", key, StringComparison.Ordinal);
        Assert.Equal("1|application/octet-stream", (string?)await redis.Database.StringGetAsync(key));
        var ttl = await redis.Database.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), options.Ttl);
    }
}
