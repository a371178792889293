using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Events;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Metrics;

namespace RegistryCloud.ManifestService.Tests.Proxy;

/// <summary>
/// Pulls through the cache are pulls like any other: each leaves its pull event in the stream
/// (cold and warm alike), and the cache's metrics count hits, misses, the bytes fetched upstream
/// and the upstream's failures.
/// </summary>
public sealed class PullThroughEventsTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string Hits = "registry.proxy.hits";
    private const string Misses = "registry.proxy.misses";
    private const string Bytes = "registry.proxy.upstream.bytes";
    private const string Errors = "registry.proxy.upstream.errors";
    private const string Stale = "registry.proxy.stale_served";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<HttpStatusCode> PullManifestAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciImageManifest));
        using var response = await client.SendAsync(request, Token);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_pull_through_the_cache_leaves_a_pull_event_for_the_manifest_and_each_blob_pull_cold_or_warm()
    {
        using var root = new TemporaryDirectory();
        await using var upstream = await DistributionRegistry.StartAsync(root.Path);
        var image = await UpstreamImage.PushAsync(upstream, "library/evented", "1");
        var stream = RedisServer.NewStream();
        await using var services = new ProxiedRegistryServices(upstream.Client.BaseAddress!.ToString(), both: new Dictionary<string, string>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            [RegistryEventsOptions.StreamKey] = stream,
            ["REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME"] = "hook",
            ["REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL"] = "http://127.0.0.1:9/events",
        });
        var layer = TestContent.DigestOf(image.Layer);

        Assert.Equal(HttpStatusCode.OK, await PullManifestAsync(services.Manifests, "/v2/hub/evented/manifests/1"));
        Assert.Equal(image.Layer, await services.Blobs.GetByteArrayAsync($"/v2/hub/evented/blobs/{layer}", Token));
        Assert.Equal(image.Layer, await services.Blobs.GetByteArrayAsync($"/v2/hub/evented/blobs/{layer}", Token));

        var events = (await redis.Database.StreamRangeAsync(stream)).Select(entry => RegistryEventJson.Deserialize((byte[])entry["event"]!)!).ToList();
        Assert.Equal(["pull", "pull", "pull"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal("hub/evented", e.Target.Repository));
        Assert.Equal([image.Digest, layer, layer], events.Select(e => e.Target.Digest));
        Assert.Equal("1", events[0].Target.Tag);
        Assert.All(events.Skip(1), e => Assert.Equal(image.Layer.Length, e.Target.Size));
    }

    [Fact]
    public async Task The_cache_metrics_count_hits_misses_bytes_fetched_and_upstream_failures()
    {
        using var root = new TemporaryDirectory();
        var upstream = await DistributionRegistry.StartAsync(root.Path);
        await using var _ = upstream;
        var image = await UpstreamImage.PushAsync(upstream, "library/counted", "1");
        var never = await UpstreamImage.PushAsync(upstream, "library/counted", "2");
        await using var services = new ProxiedRegistryServices(upstream.Client.BaseAddress!.ToString());
        using var blobMetrics = new MeasurementRecorder(services.BlobServices.GetRequiredService<IMeterFactory>(), Hits, Misses, Bytes, Errors);
        using var manifestMetrics = new MeasurementRecorder(services.ManifestServices.GetRequiredService<IMeterFactory>(), Hits, Misses, Bytes, Errors, Stale);
        var layer = TestContent.DigestOf(image.Layer);

        Assert.Equal(HttpStatusCode.OK, await PullManifestAsync(services.Manifests, "/v2/hub/counted/manifests/1"));
        Assert.Equal(HttpStatusCode.OK, await PullManifestAsync(services.Manifests, "/v2/hub/counted/manifests/1"));
        Assert.Equal(image.Layer, await services.Blobs.GetByteArrayAsync($"/v2/hub/counted/blobs/{layer}", Token));
        Assert.Equal(image.Layer, await services.Blobs.GetByteArrayAsync($"/v2/hub/counted/blobs/{layer}", Token));

        Assert.Equal((1, 1, image.Manifest.Length), (manifestMetrics.Sum(Misses, ("kind", "manifest")), manifestMetrics.Sum(Hits, ("kind", "manifest")), manifestMetrics.Sum(Bytes)));
        Assert.Equal((1, 1, image.Layer.Length), (blobMetrics.Sum(Misses, ("kind", "blob")), blobMetrics.Sum(Hits, ("kind", "blob")), blobMetrics.Sum(Bytes, ("upstream", "hub"))));

        await upstream.StopAsync();
        File.WriteAllText(services.RootDirectory + RegistryPaths.TagValidatedAt("hub/counted", "1"), "2000-01-01T00:00:00.0000000+00:00");
        Assert.Equal(HttpStatusCode.OK, await PullManifestAsync(services.Manifests, "/v2/hub/counted/manifests/1"));
        using var uncached = await services.Blobs.GetAsync($"/v2/hub/counted/blobs/{TestContent.DigestOf(never.Layer)}", Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, uncached.StatusCode);
        Assert.Equal(1, manifestMetrics.Sum(Stale, ("upstream", "hub")));
        Assert.Equal(1, manifestMetrics.Sum(Errors, ("upstream", "hub"), ("failure", "Unavailable")));
        Assert.Equal(1, blobMetrics.Sum(Errors, ("upstream", "hub"), ("failure", "Unavailable")));
    }
}
