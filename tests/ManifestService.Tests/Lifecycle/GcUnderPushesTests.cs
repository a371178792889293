using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Metrics;

namespace RegistryCloud.ManifestService.Tests.Lifecycle;

/// <summary>
/// Issue 16's proof: clients push images in a loop, reusing layers they pushed earlier (some of
/// them garbage by then), through two BlobService replicas that collect garbage every second with
/// no grace period, coordinated through a real Redis. Afterwards every image whose tag push was
/// answered 201 is pulled and every byte compared. A push may be refused (400
/// MANIFEST_BLOB_UNKNOWN: the collector took a layer first), as docker then uploads it again;
/// no push answered 201 may lose anything.
/// </summary>
public sealed class GcUnderPushesTests : IClassFixture<RedisServer>
{
    private const int Clients = 4;
    private static readonly TimeSpan PushFor = TimeSpan.FromSeconds(8);
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";

    private readonly RedisServer _redis;

    public GcUnderPushesTests(RedisServer redis) => _redis = redis;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_image_pushed_while_two_replicas_collect_garbage_is_pulled_back_byte_for_byte()
    {
        using var root = new TemporaryDirectory();
        await using var one = Replica(root.Path, _redis.ConnectionString);
        await using var two = Replica(root.Path, _redis.ConnectionString);
        await using var manifests = new CollectingManifestService(root.Path, one);
        HttpClient[] replicas = [one.CreateClient(), two.CreateClient()];
        using var manifestClient = manifests.CreateClient();
        using var removedByOne = new MeasurementRecorder(one.Services.GetRequiredService<IMeterFactory>(), "registry.gc.removed");
        using var removedByTwo = new MeasurementRecorder(two.Services.GetRequiredService<IMeterFactory>(), "registry.gc.removed");
        var pushed = new ConcurrentDictionary<string, Image>();
        var refused = 0;
        var until = DateTime.UtcNow + PushFor;

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            var earlier = new List<byte[]>();
            for (var i = 0; DateTime.UtcNow < until; i++)
            {
                var replica = replicas[random.Next(2)];
                var image = NewImage(random, earlier);

                // Push as docker does: HEAD each blob, upload what is missing, then the manifest; on
                // MANIFEST_BLOB_UNKNOWN upload again and retry.
                var tag = $"c{client}-{i % 5}";
                for (var attempt = 0; ; attempt++)
                {
                    foreach (var blob in image.Blobs)
                    {
                        await PushBlobIfMissingAsync(replica, blob);
                    }

                    using var put = await PutManifestAsync(manifestClient, tag, image.Manifest);
                    if (put.StatusCode == HttpStatusCode.Created)
                    {
                        pushed[tag] = image;
                        break;
                    }

                    Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
                    Assert.Contains("MANIFEST_BLOB_UNKNOWN", await put.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
                    Interlocked.Increment(ref refused);
                    Assert.True(attempt < 20, "a push was refused 20 times in a row");
                }

                // Some blobs are uploaded and never referenced: garbage the collector takes, which
                // a later image may reuse (HEAD finds it, or not).
                if (random.Next(3) == 0)
                {
                    var orphan = Encoding.UTF8.GetBytes($"orphan {client} {i} {Guid.NewGuid()}");
                    await PushBlobIfMissingAsync(replica, orphan);
                    earlier.Add(orphan);
                }

                earlier.AddRange(image.Blobs.Skip(1));
            }
        }, Token)));

        // The collectors go on while everything is pulled back.
        foreach (var (tag, image) in pushed)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/gc/app/manifests/{tag}");
            request.Headers.Accept.ParseAdd(ManifestType);
            using var response = await manifestClient.SendAsync(request, Token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{tag}: {(int)response.StatusCode}");
            Assert.Equal(image.Manifest, await response.Content.ReadAsByteArrayAsync(Token));
            foreach (var blob in image.Blobs)
            {
                Assert.Equal(blob, await replicas[blob.Length % 2].GetByteArrayAsync($"/v2/gc/app/blobs/{TestContent.DigestOf(blob)}", Token));
            }
        }

        // The collectors ran, and took something: the race was run.
        Assert.True(removedByOne.Sum("registry.gc.removed") + removedByTwo.Sum("registry.gc.removed") > 0, "no collection removed anything while the clients pushed");
        Assert.NotEmpty(pushed);
        TestContext.Current.SendDiagnosticMessage($"{pushed.Count} tags pushed, {refused} pushes refused and retried");
        foreach (var replica in replicas)
        {
            replica.Dispose();
        }
    }

    private static Image NewImage(Random random, List<byte[]> earlier)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","id":"{{Guid.NewGuid()}}"}""");
        var fresh = new byte[random.Next(100, 20_000)];
        random.NextBytes(fresh);
        List<byte[]> layers = [fresh];
        if (earlier.Count > 0)
        {
            layers.Add(earlier[random.Next(earlier.Count)]);
        }

        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":{{config.Length}},"digest":"{{TestContent.DigestOf(config)}}"},"layers":[{{string.Join(",", layers.Distinct().Select(layer => $$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar","size":{{layer.Length}},"digest":"{{TestContent.DigestOf(layer)}}"}"""))}}]}""");
        return new Image(manifest, [config, .. layers.Distinct()]);
    }

    private static async Task PushBlobIfMissingAsync(HttpClient replica, byte[] blob)
    {
        var digest = TestContent.DigestOf(blob);
        using var head = await replica.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/gc/app/blobs/{digest}"), Token);
        if (head.StatusCode != HttpStatusCode.OK)
        {
            using var pushed = await replica.PostBlobAsync("gc/app", blob);
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }
    }

    private static Task<HttpResponseMessage> PutManifestAsync(HttpClient client, string tag, byte[] manifest)
    {
        var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(ManifestType);
        return client.PutAsync($"/v2/gc/app/manifests/{tag}", body, Token);
    }

    private sealed record Image(byte[] Manifest, byte[][] Blobs);

    /// <summary>A BlobService replica that collects every second without a grace period, caching in Redis.</summary>
    private static CollectingBlobService Replica(string root, string redis) => new(root, redis, new Dictionary<string, string>
    {
        // Replicas share their descriptor cache, as the AppHost sets them up: what one replica's
        // collector removed is forgotten for both.
        ["REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR"] = "redis",
        ["REGISTRY_GC_INTERVAL"] = "1s",
        ["REGISTRY_GC_DELAY"] = "0s",
        ["REGISTRY_GC_DELETEUNTAGGED"] = "true",
        // Runs as fast as they can, back to back: as many chances to remove what a push relies on.
        ["REGISTRY_GC_DUTYCYCLE"] = "100",
    });
}
