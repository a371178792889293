using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Clients;

/// <summary>
/// podman (as root, <c>--storage-driver vfs</c>) pushes an image it loaded from an OCI layout and
/// pulls it back into an empty store. podman keeps layers uncompressed and compresses them again
/// on push, so what must survive the trip is the image: its config (the image id) and the
/// uncompressed layer digests (diff ids), which the registry's copy must also carry.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class PodmanTests(RegistryAppFixture registry)
{
    private const string Repository = "clients/podman/app";

    [Fact]
    public async Task Podman_push_then_pull_into_an_empty_store_gives_back_the_same_image()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var original = OciImageLayout.Write(work.Combine("layout"), "v1", seed: "podman-round-trip");
        var reference = $"{registry.GatewayAddress}/{Repository}:v1";
        var pusher = new Podman(work.Combine("pusher"));

        var imageId = await pusher.PullOciLayoutAsync(original.LayoutDirectory, "v1", cancellationToken);
        await pusher.RunAsync("podman tag", cancellationToken, "tag", imageId, reference);
        await pusher.RunAsync("podman push", cancellationToken, "push", "--tls-verify=false", reference);

        // The registry holds a manifest whose config is the image and whose layers unpack to its diff ids.
        var served = await registry.Http.GetManifestAsync(Repository, "v1", cancellationToken);
        var configDigest = served.Json["config"]!["digest"]!.GetValue<string>();
        Assert.Equal(original.Config.Digest, configDigest);
        var layers = served.Json["layers"]!.AsArray();
        Assert.Equal(original.DiffIds.Count, layers.Count);
        for (var i = 0; i < layers.Count; i++)
        {
            var blob = await registry.Http.GetBlobAsync(Repository, layers[i]!["digest"]!.GetValue<string>(), cancellationToken);
            Assert.Equal(layers[i]!["size"]!.GetValue<long>(), blob.LongLength);
            Assert.Equal(original.DiffIds[i], UncompressedDigest(blob));
        }

        var puller = new Podman(work.Combine("puller"));
        await puller.RunAsync("podman pull", cancellationToken, "pull", "--tls-verify=false", reference);
        var pulledId = await puller.RunAsync("podman image inspect", cancellationToken, "image", "inspect", "--format", "{{.Id}}", reference);
        var pulledLayers = await puller.RunAsync("podman image inspect", cancellationToken, "image", "inspect", "--format", "{{json .RootFS.Layers}}", reference);

        Assert.Equal(configDigest, $"sha256:{pulledId}");
        Assert.Equal(original.DiffIds, JsonNode.Parse(pulledLayers)!.AsArray().Select(layer => layer!.GetValue<string>()));
    }

    [Fact]
    public async Task Podman_pull_by_digest_gets_the_pushed_manifest()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var original = OciImageLayout.Write(work.Combine("layout"), "v1", seed: "podman-by-digest");
        const string repository = Repository + "-by-digest";
        await Skopeo.CopyAsync($"oci:{original.LayoutDirectory}:v1", $"docker://{registry.GatewayAddress}/{repository}:v1", cancellationToken);

        var podman = new Podman(work.Combine("store"));
        await podman.RunAsync(
            "podman pull by digest", cancellationToken, "pull", "--tls-verify=false", $"{registry.GatewayAddress}/{repository}@{original.Manifest.Digest}");
        var digest = await podman.RunAsync("podman image inspect", cancellationToken, "image", "inspect", "--format", "{{.Digest}}", $"{registry.GatewayAddress}/{repository}@{original.Manifest.Digest}");

        Assert.Equal(original.Manifest.Digest, digest);
    }

    /// <summary>The digest of a layer's uncompressed tar, which is what an image's diff ids name.</summary>
    private static string UncompressedDigest(byte[] layer)
    {
        using var input = new MemoryStream(layer);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        return $"sha256:{Convert.ToHexStringLower(SHA256.HashData(gzip))}";
    }
}
