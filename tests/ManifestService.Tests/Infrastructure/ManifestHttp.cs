using System.Net;
using System.Net.Http.Headers;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Infrastructure;

/// <summary>Manifest requests as a client sends them, and the pushes a test needs before them.</summary>
internal static class ManifestHttp
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> PutManifestAsync(this HttpClient client, string repository, string reference, byte[] body, string? mediaType)
    {
        var content = new ByteArrayContent(body);
        if (mediaType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        return client.PutAsync($"/v2/{repository}/manifests/{reference}", content, Token);
    }

    /// <summary>Pushes a config and one layer to BlobService and returns an OCI image manifest referencing them.</summary>
    public static async Task<byte[]> PushImageBlobsAsync(this RegistryServices services, string repository, string mediaType = MediaTypes.OciImageManifest)
    {
        var config = TestManifests.NewConfig();
        var layer = TestContent.NewBlob(256);
        await services.Blobs.PushBlobAsync(repository, config);
        await services.Blobs.PushBlobAsync(repository, layer);
        var configType = mediaType == MediaTypes.DockerManifest ? MediaTypes.DockerContainerConfig : MediaTypes.OciImageConfig;
        var layerType = mediaType == MediaTypes.DockerManifest
            ? "application/vnd.docker.image.rootfs.diff.tar.gzip"
            : "application/vnd.oci.image.layer.v1.tar+gzip";
        return TestManifests.Image(mediaType, TestDescriptor.Of(configType, config), TestDescriptor.Of(layerType, layer));
    }

    /// <summary>Pushes an image (blobs and manifest) under a tag and returns the manifest bytes.</summary>
    public static async Task<byte[]> PushImageAsync(this RegistryServices services, string repository, string tag)
    {
        var manifest = await services.PushImageBlobsAsync(repository);
        using var response = await services.Manifests.PutManifestAsync(repository, tag, manifest, MediaTypes.OciImageManifest);
        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        return manifest;
    }
}
