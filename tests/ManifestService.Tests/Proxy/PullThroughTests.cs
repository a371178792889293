using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Proxy;

/// <summary>
/// Pulls through the cache from a real Distribution upstream: an image by tag, then served
/// from storage; a tag checked after its ttl (HEAD only when unchanged, fetched when moved);
/// the upstream stopped (cached tags served, uncached answered 503 at once); pushes refused.
/// </summary>
public sealed class PullThroughTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static HttpRequestMessage ManifestGet(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciImageManifest));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciImageIndex));
        return request;
    }

    private static async Task<(HttpStatusCode Status, byte[] Body, string? Digest)> PullManifestAsync(HttpClient client, string path)
    {
        using var request = ManifestGet(path);
        using var response = await client.SendAsync(request, Token);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(Token), response.Header("Docker-Content-Digest"));
    }

    /// <summary>Makes the cached tag due for its check now: its record says it was last checked long ago.</summary>
    private static void Expire(RegistryServices services, string repository, string tag) =>
        File.WriteAllText(services.RootDirectory + RegistryPaths.TagValidatedAt(repository, tag), "2000-01-01T00:00:00.0000000+00:00");

    [Fact]
    public async Task An_image_pulled_by_tag_is_fetched_once_and_stored_as_ordinary_repository_content()
    {
        using var root = new TemporaryDirectory();
        await using var upstream = await DistributionRegistry.StartAsync(root.Path);
        var image = await UpstreamImage.PushAsync(upstream, "library/alpine", "3");
        await using var counting = await CountingForwarder.StartAsync(upstream.Client.BaseAddress!.ToString());
        await using var services = new ProxiedRegistryServices(counting.Address);

        for (var pull = 0; pull < 2; pull++)
        {
            var (status, body, digest) = await PullManifestAsync(services.Manifests, "/v2/hub/alpine/manifests/3");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(image.Manifest, body);
            Assert.Equal(image.Digest, digest);
            Assert.Equal(image.Layer, await services.Blobs.GetByteArrayAsync($"/v2/hub/alpine/blobs/{TestContent.DigestOf(image.Layer)}", Token));
            Assert.Equal(image.Config, await services.Blobs.GetByteArrayAsync($"/v2/hub/alpine/blobs/{TestContent.DigestOf(image.Config)}", Token));
        }

        Assert.Equal(1, counting.Count("GET", "manifests"));
        Assert.Equal(0, counting.Count("HEAD", "manifests"));
        Assert.Equal(2, counting.Count("GET", "blobs"));
        Assert.True(File.Exists(services.RootDirectory + RegistryPaths.TagCurrentLink("hub/alpine", "3")));
        Assert.True(File.Exists(services.RootDirectory + RegistryPaths.ManifestRevisionLink("hub/alpine", Digest.Parse(image.Digest))));
        var (byDigest, bytes, _) = await PullManifestAsync(services.Manifests, $"/v2/hub/alpine/manifests/{image.Digest}");
        Assert.Equal(HttpStatusCode.OK, byDigest);
        Assert.Equal(image.Manifest, bytes);
        Assert.Contains("3", await services.Manifests.GetStringAsync("/v2/hub/alpine/tags/list", Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tag_past_its_ttl_is_checked_with_a_HEAD_and_fetched_again_only_when_it_moved()
    {
        using var root = new TemporaryDirectory();
        await using var upstream = await DistributionRegistry.StartAsync(root.Path);
        var first = await UpstreamImage.PushAsync(upstream, "library/app", "latest");
        await using var counting = await CountingForwarder.StartAsync(upstream.Client.BaseAddress!.ToString());
        await using var services = new ProxiedRegistryServices(counting.Address);
        Assert.Equal(first.Digest, (await PullManifestAsync(services.Manifests, "/v2/hub/app/manifests/latest")).Digest);

        Expire(services, "hub/app", "latest");
        Assert.Equal(first.Digest, (await PullManifestAsync(services.Manifests, "/v2/hub/app/manifests/latest")).Digest);
        Assert.Equal((1, 1), (counting.Count("HEAD", "manifests"), counting.Count("GET", "manifests")));

        var moved = await UpstreamImage.PushAsync(upstream, "library/app", "latest");
        Assert.Equal(first.Digest, (await PullManifestAsync(services.Manifests, "/v2/hub/app/manifests/latest")).Digest);
        Expire(services, "hub/app", "latest");
        var (status, body, digest) = await PullManifestAsync(services.Manifests, "/v2/hub/app/manifests/latest");

        Assert.Equal((HttpStatusCode.OK, moved.Digest), (status, digest));
        Assert.Equal(moved.Manifest, body);
        Assert.Equal((2, 2), (counting.Count("HEAD", "manifests"), counting.Count("GET", "manifests")));
    }

    [Fact]
    public async Task With_the_upstream_stopped_cached_tags_are_served_past_their_ttl_and_uncached_content_answers_503_at_once()
    {
        using var root = new TemporaryDirectory();
        var upstream = await DistributionRegistry.StartAsync(root.Path);
        await using var _ = upstream;
        var image = await UpstreamImage.PushAsync(upstream, "library/kept", "1");
        await UpstreamImage.PushAsync(upstream, "library/never", "1");
        await using var services = new ProxiedRegistryServices(upstream.Client.BaseAddress!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await PullManifestAsync(services.Manifests, "/v2/hub/kept/manifests/1")).Status);
        Assert.Equal(image.Layer, await services.Blobs.GetByteArrayAsync($"/v2/hub/kept/blobs/{TestContent.DigestOf(image.Layer)}", Token));

        await upstream.StopAsync();
        Expire(services, "hub/kept", "1");
        var clock = Stopwatch.StartNew();
        var (status, body, _) = await PullManifestAsync(services.Manifests, "/v2/hub/kept/manifests/1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(image.Manifest, body);
        Assert.Equal(image.Layer, await services.Blobs.GetByteArrayAsync($"/v2/hub/kept/blobs/{TestContent.DigestOf(image.Layer)}", Token));

        using var uncached = ManifestGet("/v2/hub/never/manifests/1");
        await OciAssert.ErrorAsync(await services.Manifests.SendAsync(uncached, Token), HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the pulls took {clock.Elapsed}");
    }

    [Fact]
    public async Task An_htpasswd_upstream_is_pulled_with_the_configured_credentials()
    {
        using var root = new TemporaryDirectory();
        var line = $"mirror:{BCrypt.Net.BCrypt.HashPassword("pw", workFactor: 4)}";
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("mirror:pw"u8.ToArray()));
        await using var upstream = await DistributionRegistry.StartWithHtpasswdAsync(root.Path, line, basic);
        var image = await UpstreamImage.PushAsync(upstream, "team/private", "v1");
        await using var services = new ProxiedRegistryServices(upstream.Client.BaseAddress!.ToString(), "mirror", "pw");
        await using var anonymous = new ProxiedRegistryServices(upstream.Client.BaseAddress!.ToString());

        var (status, body, _) = await PullManifestAsync(services.Manifests, "/v2/hub/team/private/manifests/v1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(image.Manifest, body);
        Assert.Equal(image.Layer, await services.Blobs.GetByteArrayAsync($"/v2/hub/team/private/blobs/{TestContent.DigestOf(image.Layer)}", Token));

        using var refused = ManifestGet("/v2/hub/team/private/manifests/v1");
        await OciAssert.ErrorAsync(await anonymous.Manifests.SendAsync(refused, Token), HttpStatusCode.Forbidden, "DENIED");
    }

    [Fact]
    public async Task Manifest_pushes_and_deletes_of_a_proxied_repository_answer_405()
    {
        await using var services = new ProxiedRegistryServices(LoopbackPorts.ClosedAddress());
        var manifest = await services.PushImageBlobsAsync("team/app");

        await OciAssert.ErrorAsync(await services.Manifests.PutManifestAsync("hub/app", "v1", manifest, MediaTypes.OciImageManifest), HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        await OciAssert.ErrorAsync(await services.Manifests.DeleteAsync("/v2/hub/app/manifests/v1", Token), HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        await OciAssert.StatusAsync(await services.Manifests.PutManifestAsync("team/app", "v1", manifest, MediaTypes.OciImageManifest), HttpStatusCode.Created);
    }
}
