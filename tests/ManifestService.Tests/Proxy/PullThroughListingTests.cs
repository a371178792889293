using System.Net;
using System.Net.Http.Headers;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Proxy;

/// <summary>
/// A repository that exists because an image was pulled through the cache is listed like a pushed
/// one when the listings come from the Redis indexes (the catalog index already built before the pull).
/// </summary>
public sealed class PullThroughListingTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_repository_cached_by_a_pull_is_in_the_indexed_catalog_and_its_tag_in_the_tags_list()
    {
        using var root = new TemporaryDirectory();
        await using var upstream = await DistributionRegistry.StartAsync(root.Path);
        var image = await UpstreamImage.PushAsync(upstream, "library/busybox", "1");
        await using var services = new ProxiedRegistryServices(upstream.Client.BaseAddress!.ToString(), redis: redis.ConnectionString);

        // The catalog index exists (empty) before the pull, as in a running registry.
        Assert.DoesNotContain("hub/busybox", await services.Manifests.GetStringAsync("/v2/_catalog", Token), StringComparison.Ordinal);

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/v2/hub/busybox/manifests/1"))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciImageManifest));
            using var pulled = await services.Manifests.SendAsync(request, Token);
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
            Assert.Equal(image.Digest, pulled.Header("Docker-Content-Digest"));
        }

        Assert.Contains("\"hub/busybox\"", await services.Manifests.GetStringAsync("/v2/_catalog", Token), StringComparison.Ordinal);
        Assert.Contains("\"1\"", await services.Manifests.GetStringAsync("/v2/hub/busybox/tags/list", Token), StringComparison.Ordinal);
    }
}
