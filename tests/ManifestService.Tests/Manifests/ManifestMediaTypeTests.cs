using System.Text;
using RegistryCloud.ManifestService.Manifests;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Tests.Manifests;

/// <summary>How stored manifest bytes get their Content-Type back, as Distribution infers it.</summary>
public sealed class ManifestMediaTypeTests
{
    [Theory]
    [InlineData(MediaTypes.DockerManifest)]
    [InlineData(MediaTypes.DockerManifestList)]
    [InlineData(MediaTypes.OciImageIndex)]
    [InlineData("application/vnd.example.custom+json")]
    public void The_mediaType_field_wins(string mediaType)
    {
        var body = $$"""{"schemaVersion":2,"mediaType":"{{mediaType}}","manifests":[]}""";

        Assert.Equal(mediaType, Detect(body));
    }

    [Fact]
    public void Without_mediaType_a_schema1_manifest_is_a_signed_schema1_manifest()
    {
        Assert.Equal(MediaTypes.DockerManifestV1Signed, Detect("""{"schemaVersion":1,"fsLayers":[]}"""));
    }

    [Fact]
    public void Without_mediaType_a_manifest_listing_manifests_is_an_OCI_index()
    {
        Assert.Equal(MediaTypes.OciImageIndex, Detect("""{"schemaVersion":2,"manifests":[]}"""));
    }

    [Fact]
    public void Without_mediaType_anything_else_is_an_OCI_image_manifest()
    {
        Assert.Equal(MediaTypes.OciImageManifest, Detect("""{"schemaVersion":2,"config":{},"layers":[]}"""));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    public void Bytes_that_are_not_a_JSON_object_are_called_an_OCI_image_manifest(string body)
    {
        Assert.Equal(MediaTypes.OciImageManifest, Detect(body));
    }

    private static string Detect(string body) => ManifestMediaType.Detect(Encoding.UTF8.GetBytes(body));
}
