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
        var index = OciIndexLayout.WriteTwoPlatform(layout, work.Combine("arm64"), seed: "index");
        var remote = $"docker://{registry.GatewayAddress}/{Repository}:v1";

        await Skopeo.CopyAllAsync($"oci:{layout}:v1", remote, cancellationToken);
        await Skopeo.CopyAllAsync(remote, $"oci:{work.Combine("copy")}:v1", cancellationToken);

        // Every blob of the original layout (index, both manifests, configs, layers) came back as it was.
        OciIndexLayout.AssertHoldsEveryBlobOf(work.Combine("copy"), layout);

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
}
