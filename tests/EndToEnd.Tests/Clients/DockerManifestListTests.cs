using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Clients;

/// <summary>
/// The Docker engine's own manifest list flow: <c>docker manifest create</c> over two pushed
/// images, <c>annotate</c>, <c>push</c>; the registry serves the list as Docker's manifest list
/// type, and <c>docker pull</c> of the list's tag resolves to the image for this machine.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class DockerManifestListTests(RegistryAppFixture registry)
{
    private const string Repository = "clients/docker/manifest-list";

    [Fact]
    public async Task Docker_manifest_push_stores_a_manifest_list_that_docker_pull_resolves()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var docker = await registry.GetDockerAsync();
        using var work = new TemporaryDirectory();
        var amd64 = OciImageLayout.Write(work.Combine("amd64"), "v1", seed: "manifest-list-amd64");
        var arm64 = OciImageLayout.Write(work.Combine("arm64"), "v1", seed: "manifest-list-arm64");
        var host = registry.GatewayAddress;

        // The children go in as Docker schema2 images, which is what a docker manifest list holds.
        await PushSchema2Async(amd64, "amd64", cancellationToken);
        await PushSchema2Async(arm64, "arm64", cancellationToken);
        var amd64Manifest = await registry.Http.GetManifestAsync(Repository, "amd64", cancellationToken);
        var arm64Manifest = await registry.Http.GetManifestAsync(Repository, "arm64", cancellationToken);

        var list = $"{host}/{Repository}:list";
        await docker.RunSuccessfullyAsync("manifest", "create", "--insecure", list, $"{host}/{Repository}:amd64", $"{host}/{Repository}:arm64");
        await docker.RunSuccessfullyAsync("manifest", "annotate", "--arch", "arm64", list, $"{host}/{Repository}:arm64");
        var pushed = await docker.RunSuccessfullyAsync("manifest", "push", "--insecure", list);

        var served = await registry.Http.GetManifestAsync(Repository, "list", cancellationToken);
        Assert.Equal(OciMediaTypes.DockerManifestList, served.MediaType);
        Assert.Contains(served.Digest, pushed.StandardOutput, StringComparison.Ordinal);
        var entries = served.Json["manifests"]!.AsArray()
            .Select(entry => (Digest: entry!["digest"]!.GetValue<string>(), Architecture: entry["platform"]!["architecture"]!.GetValue<string>()))
            .OrderBy(entry => entry.Architecture, StringComparer.Ordinal)
            .ToList();
        Assert.Equal([(amd64Manifest.Digest, "amd64"), (arm64Manifest.Digest, "arm64")], entries);

        await docker.RunSuccessfullyAsync("pull", list);
        var imageId = (await docker.RunSuccessfullyAsync("image", "inspect", "--format", "{{.Id}}", list)).StandardOutput.Trim();
        Assert.Equal(amd64.Config.Digest, imageId);
        await docker.RunSuccessfullyAsync("rmi", "-f", list);
    }

    private async Task PushSchema2Async(OciImage image, string tag, CancellationToken cancellationToken) =>
        (await Skopeo.RunAsync(
            ["copy", "--insecure-policy", "--dest-tls-verify=false", "--format", "v2s2",
                $"oci:{image.LayoutDirectory}:v1", $"docker://{registry.GatewayAddress}/{Repository}:{tag}"],
            cancellationToken)).EnsureSuccess($"skopeo copy {tag} as Docker schema2");
}
