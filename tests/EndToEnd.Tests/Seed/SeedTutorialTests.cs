using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Seed;

/// <summary>
/// The seed tutorial, step by step: tag hello-world as <c>&lt;registry&gt;/hello-mine:latest</c>,
/// push it, list its tags with curl, remove the local images and pull it back.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class SeedTutorialTests(RegistryAppFixture registry)
{
    private const string Repository = "hello-mine";

    [Fact]
    public async Task Docker_push_then_pull_round_trips_the_image()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var docker = await registry.GetDockerAsync();
        using var work = new TemporaryDirectory();

        // Nothing can come from Docker Hub: build hello-world and hand it to docker as an archive.
        var image = OciImageLayout.Write(work.Combine("layout"), "hello-world", seed: "seed-tutorial");
        var archive = work.Combine("hello-world.tar");
        await Skopeo.CopyAsync($"oci:{image.LayoutDirectory}:hello-world", $"docker-archive:{archive}:hello-world:latest", cancellationToken);
        await docker.RunSuccessfullyAsync("load", "-i", archive);

        var remote = $"{registry.GatewayAddress}/{Repository}:latest";
        await docker.RunSuccessfullyAsync("tag", "hello-world:latest", remote);
        var push = await docker.RunSuccessfullyAsync("push", remote);

        var tags = await registry.Http.GetJsonAsync($"v2/{Repository}/tags/list", HttpStatusCode.OK, cancellationToken);
        var expectedTags = new JsonObject { ["name"] = Repository, ["tags"] = new JsonArray("latest") };
        Assert.True(JsonNode.DeepEquals(expectedTags, tags), $"tags/list answered {tags.ToJsonString()}");

        // Docker's image id is the digest of the config: the loaded image is exactly the one built.
        var imageId = await InspectAsync(docker, remote, "{{.Id}}");
        Assert.Equal(image.Config.Digest, imageId);
        var pushed = await registry.Http.GetManifestAsync(Repository, "latest", cancellationToken);
        Assert.Contains($"digest: {pushed.Digest}", push.StandardOutput, StringComparison.Ordinal);
        Assert.NotEmpty(pushed.LayerDigests);

        await docker.RunSuccessfullyAsync("rmi", "-f", remote, "hello-world:latest");
        var remaining = await docker.RunSuccessfullyAsync("images", "-q", "--no-trunc");
        Assert.DoesNotContain(imageId, remaining.StandardOutput, StringComparison.Ordinal);

        var pull = await docker.RunSuccessfullyAsync("pull", remote);
        Assert.Contains($"Digest: {pushed.Digest}", pull.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(imageId, await InspectAsync(docker, remote, "{{.Id}}"));

        var repoDigests = JsonNode.Parse(await InspectAsync(docker, remote, "{{json .RepoDigests}}"))!.AsArray();
        Assert.Contains($"{registry.GatewayAddress}/{Repository}@{pushed.Digest}", repoDigests.Select(d => d!.GetValue<string>()));

        // The pulled image is made of exactly the layer that was built, uncompressed.
        var pulledLayers = JsonNode.Parse(await InspectAsync(docker, remote, "{{json .RootFS.Layers}}"))!.AsArray();
        Assert.Equal(image.DiffIds, pulledLayers.Select(d => d!.GetValue<string>()));

        var served = await registry.Http.GetManifestAsync(Repository, "latest", cancellationToken);
        Assert.Equal(pushed.Digest, served.Digest);
        Assert.Equal(pushed.LayerDigests, served.LayerDigests);
        for (var i = 0; i < served.LayerDigests.Count; i++)
        {
            var layer = await registry.Http.GetBlobAsync(Repository, served.LayerDigests[i], cancellationToken);
            Assert.Equal(served.LayerDigests[i], OciBlob.DigestOf(layer));
            Assert.Equal(image.DiffIds[i], OciBlob.DigestOf(Gunzip(layer)));
        }
    }

    private static async Task<string> InspectAsync(DockerEngine docker, string reference, string format)
    {
        var result = await docker.RunSuccessfullyAsync("image", "inspect", "--format", format, reference);
        return result.StandardOutput.Trim();
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
