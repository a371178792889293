using System.Net;
using RegistryCloud.BlobService.Blobs.Cache;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Blobs.Cache;

/// <summary>Blob reads and deletes over HTTP with <c>storage.cache.blobdescriptor: redis</c>.</summary>
public sealed class RedisCachedBlobTests : IClassFixture<RedisServer>, IAsyncDisposable
{
    private readonly RedisServer _redis;
    private readonly CachedBlobService _service;
    private readonly HttpClient _client;

    public RedisCachedBlobTests(RedisServer redis)
    {
        _redis = redis;
        _service = new CachedBlobService(redis.ConnectionString);
        _client = _service.CreateRegistryClient();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task HEAD_after_DELETE_answers_404_though_the_cache_held_the_blob()
    {
        var repository = TestContent.NewRepository();
        var digest = await _client.PushBlobAsync(repository, TestContent.NewBlob());
        using (var before = await _client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"))
        {
            await OciAssert.StatusAsync(before, HttpStatusCode.OK);
        }

        Assert.Equal("64|application/octet-stream", await MembershipAsync(repository, digest));

        using var deleted = await _client.DeleteAsync($"/v2/{repository}/blobs/{digest}", Token);

        await OciAssert.StatusAsync(deleted, HttpStatusCode.Accepted);
        // Gone from the cache by the time the 202 was sent, not some time later.
        Assert.Equal("-", await MembershipAsync(repository, digest));
        using var head = await _client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");
        await OciAssert.StatusAsync(head, HttpStatusCode.NotFound);
        using var get = await _client.GetAsync($"/v2/{repository}/blobs/{digest}", Token);
        await OciAssert.ErrorAsync(get, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task A_blob_cached_for_one_repository_is_404_BLOB_UNKNOWN_in_another()
    {
        var (owner, stranger) = (TestContent.NewRepository(), TestContent.NewRepository());
        var digest = await _client.PushBlobAsync(owner, TestContent.NewBlob());
        using (var cached = await _client.SendAsync(HttpMethod.Head, $"/v2/{owner}/blobs/{digest}"))
        {
            await OciAssert.StatusAsync(cached, HttpStatusCode.OK);
        }

        using var get = await _client.GetAsync($"/v2/{stranger}/blobs/{digest}", Token);

        await OciAssert.ErrorAsync(get, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        Assert.Null(await MembershipAsync(stranger, digest));
    }

    [Fact]
    public async Task A_blob_read_from_storage_is_cached_for_the_next_read()
    {
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(300);
        var digest = await _client.PushBlobAsync(repository, content);
        // Forget the push's entry, so that only the read can put one back.
        await _redis.Database.KeyDeleteAsync(MembershipKey(repository, digest));

        using var get = await _client.GetAsync($"/v2/{repository}/blobs/{digest}", Token);

        await OciAssert.StatusAsync(get, HttpStatusCode.OK);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal("300|application/octet-stream", await MembershipAsync(repository, digest));
    }

    [Fact]
    public async Task A_mount_records_the_blob_in_the_target_repository()
    {
        var (source, target) = (TestContent.NewRepository(), TestContent.NewRepository());
        var digest = await _client.PushBlobAsync(source, TestContent.NewBlob(77));

        using var mounted = await _client.PostAsync($"/v2/{target}/blobs/uploads/?mount={digest}&from={source}", content: null, Token);

        await OciAssert.StatusAsync(mounted, HttpStatusCode.Created);
        Assert.Equal("77|application/octet-stream", await MembershipAsync(target, digest));
    }

    private async Task<string?> MembershipAsync(string repository, string digest) =>
        await _redis.Database.StringGetAsync(MembershipKey(repository, digest));

    private static string MembershipKey(string repository, string digest) =>
        $"{new BlobDescriptorCacheOptions().RedisKeyPrefix}repository::{repository}::blobs::{digest}";
}
