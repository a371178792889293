using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Clients;

/// <summary>
/// <c>skopeo copy --all</c> of a two-platform OCI image index: the index and both images go in and
/// come back out byte for byte, and the index is only served to clients that accept one.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class MultiPlatformIndexTests(RegistryAppFixture registry)
{
    private const string Repository = "multi/platforms";

    [Fact]
    public async Task Skopeo_copy_all_round_trips_a_two_platform_index_byte_for_byte()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var layout = work.Combine("multi");
        var index = WriteTwoPlatformLayout(layout, work.Combine("arm64"));
        var remote = $"docker://{registry.GatewayAddress}/{Repository}:v1";

        (await Skopeo.RunAsync(["copy", "--all", "--insecure-policy", "--dest-tls-verify=false", $"oci:{layout}:v1", remote], cancellationToken))
            .EnsureSuccess("skopeo copy --all into the registry");
        (await Skopeo.RunAsync(["copy", "--all", "--insecure-policy", "--src-tls-verify=false", remote, $"oci:{work.Combine("copy")}:v1"], cancellationToken))
            .EnsureSuccess("skopeo copy --all out of the registry");

        // Every blob of the original layout (index, both manifests, configs, layers) came back as it was.
        foreach (var path in Directory.EnumerateFiles(Path.Combine(layout, "blobs", "sha256")))
        {
            var copied = Path.Combine(work.Combine("copy"), "blobs", "sha256", Path.GetFileName(path));
            Assert.True(File.Exists(copied), $"blob sha256:{Path.GetFileName(path)} did not come back");
            Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(copied));
        }

        var served = await registry.Http.GetManifestAsync(Repository, "v1", cancellationToken);
        Assert.Equal(index.Digest, served.Digest);
        Assert.Equal(OciMediaTypes.ImageIndex, served.MediaType);

        // A client that accepts only image manifests is told the tag holds something it cannot read.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{Repository}/manifests/v1");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciMediaTypes.ImageManifest));
        using var response = await registry.Http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", JsonNode.Parse(body)?["errors"]?[0]?["code"]?.GetValue<string>());
    }

    /// <summary>Two images (amd64 and arm64) and an index over them, tagged v1 in one layout.</summary>
    private static OciBlob WriteTwoPlatformLayout(string layout, string scratch)
    {
        var amd64 = OciImageLayout.Write(layout, "amd64", seed: "index-amd64");
        var arm64 = OciImageLayout.Write(scratch, "arm64", seed: "index-arm64");
        foreach (var blob in new[] { arm64.Manifest, arm64.Config }.Concat(arm64.Layers))
        {
            File.WriteAllBytes(OciImageLayout.BlobPath(layout, blob.Digest), blob.Bytes);
        }

        var index = OciBlob.Of(OciMediaTypes.ImageIndex, OciImageLayout.Serialize(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageIndex,
            ["manifests"] = new JsonArray(Entry(amd64.Manifest, "amd64"), Entry(arm64.Manifest, "arm64")),
        }));
        File.WriteAllBytes(OciImageLayout.BlobPath(layout, index.Digest), index.Bytes);
        File.WriteAllBytes(Path.Combine(layout, "index.json"), OciImageLayout.Serialize(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = OciMediaTypes.ImageIndex,
                ["digest"] = index.Digest,
                ["size"] = index.Size,
                ["annotations"] = new JsonObject { [OciMediaTypes.RefNameAnnotation] = "v1" },
            }),
        }));
        return index;
    }

    private static JsonObject Entry(OciBlob manifest, string architecture) => new()
    {
        ["mediaType"] = manifest.MediaType,
        ["digest"] = manifest.Digest,
        ["size"] = manifest.Size,
        ["platform"] = new JsonObject { ["architecture"] = architecture, ["os"] = "linux" },
    };
}
