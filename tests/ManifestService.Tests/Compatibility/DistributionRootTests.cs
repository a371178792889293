using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Storage.FileSystem;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Compatibility;

/// <summary>
/// A storage root written by Distribution 2.8 (the Debian <c>docker-registry</c> package) is
/// served as it is: the layout is Distribution's own, so users keep every image when they move.
/// </summary>
public sealed class DistributionRootTests
{
    private const string ManifestMediaType = "application/vnd.docker.distribution.manifest.v2+json";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_image_pushed_to_Distribution_2_8_is_served_from_its_root_also_after_garbage_collection(bool collected)
    {
        await using var services = new RegistryServices();
        var layer = RandomNumberGenerator.GetBytes(70_000);
        var orphan = RandomNumberGenerator.GetBytes(5_000);
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{ManifestMediaType}}","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":{{config.Length}},"digest":"{{DigestOf(config)}}"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":{{layer.Length}},"digest":"{{DigestOf(layer)}}"}]}""");

        // Distribution writes the root, then stops: RegistryCloud finds only its files.
        await using (var distribution = await DistributionRegistry.StartAsync(services.RootDirectory))
        {
            await distribution.PushBlobAsync("dist/app", config);
            await distribution.PushBlobAsync("dist/app", layer);
            using var put = new ByteArrayContent(manifest);
            put.Headers.ContentType = new MediaTypeHeaderValue(ManifestMediaType);
            using var pushed = await distribution.Client.PutAsync("/v2/dist/app/manifests/v1", put, Token);
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
            await distribution.PushBlobAsync("dist/app", orphan);
        }

        if (collected)
        {
            // What `registrycloud gc --delete-untagged` runs on the stopped registry's root.
            var report = await new GarbageCollector(new FileSystemStorageDriver(services.RootDirectory), new InMemoryGcCoordinator(TimeProvider.System), TimeProvider.System)
                .RunAsync(new GcOptions { Delay = TimeSpan.Zero, DeleteUntagged = true }, Token);
            Assert.Equal((1, 1, 0), (report.BlobsRemoved, report.LinksRemoved, report.ManifestsRemoved));
        }

        using var orphaned = await services.Blobs.GetAsync($"/v2/dist/app/blobs/{DigestOf(orphan)}", Token);
        Assert.Equal(collected ? HttpStatusCode.NotFound : HttpStatusCode.OK, orphaned.StatusCode);

        using var tags = await services.Manifests.GetAsync("/v2/dist/app/tags/list", Token);
        Assert.Equal("""{"name":"dist/app","tags":["v1"]}""", await tags.Content.ReadAsStringAsync(Token));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/dist/app/manifests/v1");
        request.Headers.Accept.ParseAdd(ManifestMediaType);
        using var served = await services.Manifests.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(manifest, await served.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(ManifestMediaType, served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DigestOf(manifest), served.Headers.GetValues("Docker-Content-Digest").Single());

        foreach (var blob in new[] { config, layer })
        {
            Assert.Equal(blob, await services.Blobs.GetByteArrayAsync($"/v2/dist/app/blobs/{DigestOf(blob)}", Token));
        }
    }

    private static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
