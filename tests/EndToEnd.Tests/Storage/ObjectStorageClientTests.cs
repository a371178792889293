using System.Net;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Storage;

/// <summary>
/// The registry on object storage, as clients meet it: skopeo, podman and the Docker engine push
/// and pull through the gateway, and every blob GET is answered 307 to a signed URL of the
/// emulator (presigned S3, Azure SAS) that the clients follow; bytes come back as pushed.
/// </summary>
public abstract class ObjectStorageClientTests(ObjectStorageAppFixture registry)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Skopeo_copies_an_image_in_and_out_byte_for_byte_and_blob_GETs_redirect_to_the_storage()
    {
        using var work = new TemporaryDirectory();
        var repository = $"objects/{Guid.NewGuid():N}";
        var original = OciImageLayout.Write(work.Combine("original"), "v1", seed: "object-storage-" + registry.Emulator);
        var remote = $"docker://{registry.GatewayAddress}/{repository}:v1";

        await Skopeo.CopyAsync($"oci:{original.LayoutDirectory}:v1", remote, Token);
        await Skopeo.CopyAsync(remote, $"oci:{work.Combine("copy")}:v1", Token);

        var copy = OciLayoutReader.Read(work.Combine("copy"), "v1");
        Assert.Equal(original.Manifest.Bytes, copy.Manifest.Bytes);
        Assert.Equal(original.Config.Bytes, copy.Config.Bytes);
        Assert.Equal(original.Layers.Select(layer => layer.Bytes), copy.Layers.Select(layer => layer.Bytes));

        var layer = original.Layers[0];
        using var get = await registry.Http.GetAsync($"v2/{repository}/blobs/{layer.Digest}", Token);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, get.StatusCode);
        var url = get.Headers.Location!;
        Assert.Equal("127.0.0.1", url.Host);
        using (var storage = new HttpClient())
        {
            Assert.Equal(layer.Bytes, await storage.GetByteArrayAsync(url, Token));
        }

        using var head = await registry.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{layer.Digest}"), Token);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(layer.Bytes.Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Podman_pushes_and_podman_and_docker_pull_the_same_image()
    {
        using var work = new TemporaryDirectory();
        var original = OciImageLayout.Write(work.Combine("layout"), "v1", seed: "object-storage-clients-" + registry.Emulator);
        var reference = $"{registry.GatewayAddress}/objects/clients:v1";
        var pusher = new Podman(work.Combine("pusher"));
        var imageId = await pusher.PullOciLayoutAsync(original.LayoutDirectory, "v1", Token);
        await pusher.RunAsync("podman tag", Token, "tag", imageId, reference);
        await pusher.RunAsync("podman push", Token, "push", "--tls-verify=false", reference);

        var puller = new Podman(work.Combine("puller"));
        await puller.RunAsync("podman pull", Token, "pull", "--tls-verify=false", reference);
        var pulledId = await puller.RunAsync("podman inspect", Token, "image", "inspect", "--format", "{{.Id}}", reference);
        Assert.Equal(imageId, pulledId);

        var docker = await registry.GetDockerAsync();
        await docker.RunSuccessfullyAsync("pull", reference);
        var dockerId = (await docker.RunSuccessfullyAsync("image", "inspect", "--format", "{{.Id}}", reference)).StandardOutput.Trim();
        Assert.Equal("sha256:" + imageId, dockerId);
    }
}

[Collection(ObjectStorageCollection.Name)]
public sealed class S3ClientTests(S3AppFixture registry) : ObjectStorageClientTests(registry), IClassFixture<S3AppFixture>;

[Collection(ObjectStorageCollection.Name)]
public sealed class AzureClientTests(AzureAppFixture registry) : ObjectStorageClientTests(registry), IClassFixture<AzureAppFixture>;
