using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.BlobService.Blobs.Cache;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Blobs.Cache;

/// <summary>
/// <c>storage.cache.blobdescriptor: inmemory</c> over HTTP. A link removed behind the service's
/// back (another replica's delete) shows that reads use the cache, and that its TTL bounds how
/// long such an entry can outlive the truth.
/// </summary>
public sealed class InMemoryCacheExpiryTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CachedBlobService _service;
    private readonly HttpClient _client;

    public InMemoryCacheExpiryTests()
    {
        _service = new CachedBlobService(redisConnection: null, _time);
        _client = _service.CreateRegistryClient();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task A_cached_blob_unlinked_elsewhere_is_404_once_its_entry_has_expired()
    {
        var repository = TestContent.NewRepository();
        var digest = await _client.PushBlobAsync(repository, TestContent.NewBlob());
        var driver = _service.Services.GetRequiredService<IStorageDriver>();
        Assert.True(await driver.DeleteAsync(StoragePath.Parent(RegistryPaths.LayerLink(repository, Digest.Parse(digest))), Token));

        using (var cached = await _client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"))
        {
            await OciAssert.StatusAsync(cached, HttpStatusCode.OK);
        }

        _time.Advance(_service.Services.GetRequiredService<BlobDescriptorCacheOptions>().Ttl + TimeSpan.FromSeconds(1));

        using var expired = await _client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");
        await OciAssert.StatusAsync(expired, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_delete_through_the_service_is_404_at_once()
    {
        var repository = TestContent.NewRepository();
        var digest = await _client.PushBlobAsync(repository, TestContent.NewBlob());
        using (var head = await _client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"))
        {
            await OciAssert.StatusAsync(head, HttpStatusCode.OK);
        }

        using (var deleted = await _client.DeleteAsync($"/v2/{repository}/blobs/{digest}", Token))
        {
            await OciAssert.StatusAsync(deleted, HttpStatusCode.Accepted);
        }

        using var after = await _client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");
        await OciAssert.StatusAsync(after, HttpStatusCode.NotFound);
    }
}
