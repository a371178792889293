using System.Net;
using System.Text.Json.Nodes;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Clients;

/// <summary>
/// skopeo copies an OCI image into the registry and back out without converting anything, so
/// every manifest, config and layer must come back byte for byte.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class SkopeoRoundTripTests(RegistryAppFixture registry)
{
    // Three path segments: repository names contain '/' and must route as one name.
    private const string Repository = "team/app/round-trip";

    [Fact]
    public async Task Skopeo_copy_in_and_back_out_keeps_every_blob_byte_for_byte()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var original = OciImageLayout.Write(work.Combine("original"), "v1", seed: "skopeo-round-trip");
        var remote = $"docker://{registry.GatewayAddress}/{Repository}:v1";

        await Skopeo.CopyAsync($"oci:{original.LayoutDirectory}:v1", remote, cancellationToken);
        await Skopeo.CopyAsync(remote, $"oci:{work.Combine("copy")}:v1", cancellationToken);
        var copy = OciLayoutReader.Read(work.Combine("copy"), "v1");

        AssertSameBlob(original.Manifest, copy.Manifest, "manifest");
        AssertSameBlob(original.Config, copy.Config, "config");
        Assert.Equal(original.Layers.Count, copy.Layers.Count);
        for (var i = 0; i < original.Layers.Count; i++)
        {
            AssertSameBlob(original.Layers[i], copy.Layers[i], $"layer {i}");
        }

        Assert.Equal(original.DiffIds, copy.DiffIds);

        var served = await registry.Http.GetManifestAsync(Repository, "v1", cancellationToken);
        Assert.Equal(original.Manifest.Digest, served.Digest);
        Assert.Equal(OciMediaTypes.ImageManifest, served.MediaType);
        var tags = await registry.Http.GetJsonAsync($"v2/{Repository}/tags/list", HttpStatusCode.OK, cancellationToken);
        var expectedTags = new JsonObject { ["name"] = Repository, ["tags"] = new JsonArray("v1") };
        Assert.True(JsonNode.DeepEquals(expectedTags, tags), $"tags/list answered {tags.ToJsonString()}");
    }

    private static void AssertSameBlob(OciBlob expected, OciBlob actual, string what)
    {
        Assert.True(expected.Digest == actual.Digest, $"The {what} came back as {actual.Digest}, not {expected.Digest}.");
        Assert.Equal(expected.MediaType, actual.MediaType);
        Assert.Equal(expected.Bytes, actual.Bytes);
    }
}
