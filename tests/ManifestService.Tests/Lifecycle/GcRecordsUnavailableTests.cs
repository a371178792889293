using System.Net;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Lifecycle;

/// <summary>
/// With the online collector on, a manifest PUT records the blobs it names in Redis before
/// BlobService checks them; with Redis stopped the record cannot be made, and the push is refused
/// with 503 (the client retries), not 500, and stores nothing.
/// </summary>
public sealed class GcRecordsUnavailableTests : IAsyncLifetime
{
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";

    private readonly TemporaryDirectory _root = new();
    private RedisServer _redis = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartPersistentAsync(Directory.CreateDirectory(Path.Combine(_root.Path, "redis")).FullName);

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task While_Redis_is_stopped_a_manifest_PUT_whose_blobs_cannot_be_recorded_answers_UNAVAILABLE_and_stores_nothing()
    {
        var storage = Path.Combine(_root.Path, "storage");
        // Collecting every 24 h: the records are what matters here.
        await using var blobs = new CollectingBlobService(storage, _redis.ConnectionString, new Dictionary<string, string>
        {
            ["REGISTRY_GC_INTERVAL"] = "24h",
            ["REGISTRY_REDIS_READTIMEOUT"] = "1s",
        });
        await using var manifests = new CollectingManifestService(storage, blobs);
        using var blobClient = blobs.CreateClient();
        using var manifestClient = manifests.CreateClient();
        var config = TestContent.NewBlob(40);
        var layer = TestContent.NewBlob(80);
        await blobClient.PushBlobAsync("gc/app", config);
        await blobClient.PushBlobAsync("gc/app", layer);
        var manifest = System.Text.Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":40,"digest":"{{TestContent.DigestOf(config)}}"},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","size":80,"digest":"{{TestContent.DigestOf(layer)}}"}]}""");

        await _redis.StopAsync();

        using (var put = await manifestClient.PutAsync("/v2/gc/app/manifests/v1", RegistryHttp.Typed(manifest, ManifestType), Token))
        {
            await OciAssert.ErrorAsync(put, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
            Assert.Contains("Redis", await put.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        }

        using var head = await manifestClient.SendAsync(HttpMethod.Head, "/v2/gc/app/manifests/v1");
        await OciAssert.StatusAsync(head, HttpStatusCode.NotFound);
    }
}
