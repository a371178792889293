using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.BlobService.Blobs.Cache;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Metrics;
using StackExchange.Redis;

namespace RegistryCloud.BlobService.Tests.Blobs.Cache;

/// <summary>Redis going away never fails a blob request: reads, pushes and deletes go to storage.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _directory = new();
    private RedisServer _redis = null!;
    private CachedBlobService _service = null!;
    private HttpClient _client = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // Persistent, so that what was cached before the outage is still there after it.
        _redis = await RedisServer.StartPersistentAsync(_directory.Path);
        _service = new CachedBlobService(_redis.ConnectionString);
        _client = _service.CreateRegistryClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        await _redis.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task While_Redis_is_down_blobs_are_served_from_storage_and_the_failures_are_counted()
    {
        using var errors = new MeasurementRecorder(_service.Services.GetRequiredService<IMeterFactory>(), "registry.blob_descriptor_cache.errors");
        var repository = TestContent.NewRepository();
        var cached = TestContent.NewBlob(128);
        var cachedDigest = await _client.PushBlobAsync(repository, cached);

        await _redis.StopAsync();

        using (var head = await _client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{cachedDigest}"))
        {
            await OciAssert.StatusAsync(head, HttpStatusCode.OK);
            Assert.Equal(128, head.Content.Headers.ContentLength);
        }

        Assert.Equal(cached, await _client.GetByteArrayAsync($"/v2/{repository}/blobs/{cachedDigest}", Token));
        var pushed = TestContent.NewBlob(96);
        var pushedDigest = await _client.PushBlobAsync(repository, pushed);
        Assert.Equal(pushed, await _client.GetByteArrayAsync($"/v2/{repository}/blobs/{pushedDigest}", Token));
        Assert.True(errors.Sum("registry.blob_descriptor_cache.errors") > 0, "no cache error was counted while Redis was down");
    }

    [Fact]
    public async Task A_blob_deleted_while_Redis_was_down_is_404_once_Redis_is_back_with_its_stale_entry()
    {
        var repository = TestContent.NewRepository();
        var digest = await _client.PushBlobAsync(repository, TestContent.NewBlob());
        var key = $"{new BlobDescriptorCacheOptions().RedisKeyPrefix}repository::{repository}::blobs::{digest}";
        await _redis.StopAsync();

        using (var deleted = await _client.DeleteAsync($"/v2/{repository}/blobs/{digest}", Token))
        {
            await OciAssert.StatusAsync(deleted, HttpStatusCode.Accepted);
        }

        await _redis.RestartAsync();
        await WaitForServiceConnectionAsync();
        // The entry written at the push survived the outage: only the service's memory of the
        // failed removal stands between it and a wrong 200.
        Assert.Equal("64|application/octet-stream", (string?)await _redis.Database.StringGetAsync(key));

        using var head = await _client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");

        await OciAssert.StatusAsync(head, HttpStatusCode.NotFound);
        Assert.Equal("-", (string?)await _redis.Database.StringGetAsync(key));
    }

    private Task WaitForServiceConnectionAsync()
    {
        var connection = _service.Services.GetRequiredService<IConnectionMultiplexer>();
        return Poll.UntilAsync(() => connection.IsConnected && _redis.Connection.IsConnected, "the service did not reconnect to Redis", TimeSpan.FromSeconds(20));
    }
}
