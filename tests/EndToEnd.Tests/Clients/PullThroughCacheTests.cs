using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Clients;

/// <summary>
/// Real clients pulling through the registry's pull-through caches of a local Distribution
/// (<see cref="RegistryAppFixture.Upstream"/>): skopeo and podman from <c>e2e-mirror/*</c>, and
/// a Docker engine whose <c>registry-mirrors</c> names the registry pulling a Docker Hub name
/// (<c>library/*</c>) with no internet. Each image is pushed to the upstream only.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class PullThroughCacheTests(RegistryAppFixture registry)
{
    private string UpstreamAddress => registry.Upstream!.Client.BaseAddress!.Authority;

    private async Task<OciImage> PushUpstreamAsync(TemporaryDirectory work, string repository, string seed, CancellationToken cancellationToken)
    {
        var image = OciImageLayout.Write(work.Combine(seed), "v1", seed: seed);
        (await Skopeo.RunAsync(
            ["copy", "--insecure-policy", "--dest-tls-verify=false", $"oci:{image.LayoutDirectory}:v1", $"docker://{UpstreamAddress}/{repository}:v1"],
            cancellationToken)).EnsureSuccess("skopeo copy to the upstream");
        return image;
    }

    [Fact]
    public async Task Skopeo_and_podman_pull_an_image_through_the_cache_byte_for_byte()
    {
        Assert.SkipWhen(registry.Upstream is null, "the registry is external: no upstream to mirror");
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var original = await PushUpstreamAsync(work, "library/e2e-cached", "pull-through-skopeo", cancellationToken);

        await Skopeo.CopyAsync($"docker://{registry.GatewayAddress}/e2e-mirror/e2e-cached:v1", $"oci:{work.Combine("copy")}:v1", cancellationToken);
        var copy = OciLayoutReader.Read(work.Combine("copy"), "v1");
        Assert.Equal(original.Manifest.Digest, copy.Manifest.Digest);
        Assert.Equal(original.Config.Bytes, copy.Config.Bytes);
        Assert.Equal(original.Layers.Select(layer => layer.Digest), copy.Layers.Select(layer => layer.Digest));

        var podman = new Podman(work.Combine("podman"));
        await podman.RunAsync("podman pull", cancellationToken, "pull", "--tls-verify=false", $"{registry.GatewayAddress}/e2e-mirror/e2e-cached:v1");
        var id = await podman.RunAsync("podman inspect", cancellationToken, "image", "inspect", "--format", "{{.Id}}", $"{registry.GatewayAddress}/e2e-mirror/e2e-cached:v1");
        Assert.Equal(original.Config.Digest, "sha256:" + id);
    }

    [Fact]
    public async Task A_Docker_engine_with_registry_mirrors_pulls_a_Docker_Hub_name_through_the_cache()
    {
        Assert.SkipWhen(registry.Upstream is null, "the registry is external: no upstream to mirror");
        var cancellationToken = TestContext.Current.CancellationToken;
        var docker = await registry.GetDockerAsync();
        using var work = new TemporaryDirectory();
        var original = await PushUpstreamAsync(work, "library/e2e-hub-image", "pull-through-docker", cancellationToken);

        await docker.RunSuccessfullyAsync("pull", "e2e-hub-image:v1");

        var imageId = (await docker.RunSuccessfullyAsync("image", "inspect", "--format", "{{.Id}}", "e2e-hub-image:v1")).StandardOutput.Trim();
        Assert.Equal(original.Config.Digest, imageId);
        var cached = await registry.Http.GetManifestAsync("library/e2e-hub-image", "v1", cancellationToken);
        Assert.Equal(original.Manifest.Digest, cached.Digest);
        await docker.RunSuccessfullyAsync("rmi", "-f", "e2e-hub-image:v1");
    }
}
