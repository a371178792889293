using System.Text;
using System.Text.Json.Nodes;
using RegistryCloud.ManifestService.Manifests;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Tests.Manifests;

public sealed class ManifestParserTests
{
    private static readonly TestDescriptor Config = new(MediaTypes.OciImageConfig, Hex('c'), 123);
    private static readonly TestDescriptor DockerConfig = new(MediaTypes.DockerContainerConfig, Hex('c'), 123);
    private static readonly TestDescriptor Layer1 = new("application/vnd.oci.image.layer.v1.tar+gzip", Hex('1'), 1000);
    private static readonly TestDescriptor Layer2 = new("application/vnd.docker.image.rootfs.diff.tar.gzip", Hex('2'), 2000);

    [Fact]
    public void A_Docker_schema2_manifest_gives_its_config_and_layers_in_order()
    {
        var body = TestManifests.Image(MediaTypes.DockerManifest, DockerConfig, Layer1, Layer2);

        var document = Parse(body, MediaTypes.DockerManifest);

        Assert.Equal(MediaTypes.DockerManifest, document.MediaType);
        Assert.Equal([DockerConfig.Digest, Layer1.Digest, Layer2.Digest], document.Blobs.Select(b => b.Digest.ToString()));
        Assert.Equal([123L, 1000L, 2000L], document.Blobs.Select(b => b.Size));
        Assert.Empty(document.Manifests);
        Assert.Null(document.Subject);
    }

    [Fact]
    public void An_OCI_image_manifest_gives_its_config_and_layers()
    {
        var body = TestManifests.Image(MediaTypes.OciImageManifest, Config, Layer1);

        var document = Parse(body, MediaTypes.OciImageManifest);

        Assert.Equal(MediaTypes.OciImageManifest, document.MediaType);
        Assert.Equal([Config.Digest, Layer1.Digest], document.Blobs.Select(b => b.Digest.ToString()));
        Assert.Equal(MediaTypes.OciImageConfig, document.EffectiveArtifactType);
    }

    [Fact]
    public void An_OCI_index_gives_the_manifests_it_lists_and_no_blobs()
    {
        var child1 = new TestDescriptor(MediaTypes.OciImageManifest, Hex('a'), 500);
        var child2 = new TestDescriptor(MediaTypes.OciImageManifest, Hex('b'), 600);

        var document = Parse(TestManifests.Index(MediaTypes.OciImageIndex, child1, child2), MediaTypes.OciImageIndex);

        Assert.Equal(MediaTypes.OciImageIndex, document.MediaType);
        Assert.Equal([child1.Digest, child2.Digest], document.Manifests.Select(m => m.Digest.ToString()));
        Assert.Empty(document.Blobs);
    }

    [Fact]
    public void A_Docker_manifest_list_gives_the_manifests_it_lists()
    {
        var child = new TestDescriptor(MediaTypes.DockerManifest, Hex('a'), 500);

        var document = Parse(TestManifests.Index(MediaTypes.DockerManifestList, child), MediaTypes.DockerManifestList);

        Assert.Equal(MediaTypes.DockerManifestList, document.MediaType);
        Assert.Equal(child.Digest, Assert.Single(document.Manifests).Digest.ToString());
    }

    [Fact]
    public void An_artifact_with_artifactType_and_the_empty_config_keeps_its_type_subject_and_annotations()
    {
        var empty = new TestDescriptor(MediaTypes.OciEmpty, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 2);
        var subject = new TestDescriptor(MediaTypes.OciImageManifest, Hex('5'), 700);
        var json = TestManifests.ImageJson(MediaTypes.OciImageManifest, empty, Layer1);
        json["artifactType"] = "application/vnd.example.sbom.v1";
        json["subject"] = subject.ToJson();
        json["annotations"] = new JsonObject { ["org.opencontainers.image.created"] = "2024-01-01T00:00:00Z" };

        var document = Parse(TestManifests.Serialize(json), MediaTypes.OciImageManifest);

        Assert.Equal("application/vnd.example.sbom.v1", document.ArtifactType);
        Assert.Equal("application/vnd.example.sbom.v1", document.EffectiveArtifactType);
        Assert.Equal(MediaTypes.OciEmpty, document.Blobs[0].MediaType);
        Assert.Equal(subject.Digest, document.Subject?.Digest.ToString());
        Assert.Equal("2024-01-01T00:00:00Z", document.Annotations?["org.opencontainers.image.created"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/json")]
    [InlineData("application/vnd.oci.image.manifest.v1+json; charset=utf-8")]
    public void The_body_media_type_is_used_when_Content_Type_says_nothing_more(string? contentType)
    {
        var document = Parse(TestManifests.Image(MediaTypes.OciImageManifest, Config, Layer1), contentType);

        Assert.Equal(MediaTypes.OciImageManifest, document.MediaType);
    }

    [Fact]
    public void Without_any_media_type_a_manifest_with_manifests_is_an_OCI_index()
    {
        const string Body = """{"schemaVersion":2,"manifests":[]}""";

        Assert.Equal(MediaTypes.OciImageIndex, Parse(Encoding.UTF8.GetBytes(Body), null).MediaType);
    }

    [Fact]
    public void A_layer_with_urls_is_marked_non_distributable()
    {
        var json = TestManifests.ImageJson(MediaTypes.DockerManifest, DockerConfig, Layer1);
        json["layers"]![0]!["urls"] = new JsonArray("https://example.invalid/layer");

        var document = Parse(TestManifests.Serialize(json), MediaTypes.DockerManifest);

        Assert.False(document.Blobs[0].HasUrls);
        Assert.True(document.Blobs[1].HasUrls);
    }

    [Theory]
    [InlineData(MediaTypes.DockerManifestV1)]
    [InlineData(MediaTypes.DockerManifestV1Signed)]
    [InlineData(null)]
    public void A_schema1_manifest_is_refused(string? contentType)
    {
        const string Body = """{"schemaVersion":1,"name":"a","tag":"latest","architecture":"amd64","fsLayers":[],"history":[]}""";

        var error = Refuse(Encoding.UTF8.GetBytes(Body), contentType);

        Assert.Contains("schema1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_media_type_that_differs_from_Content_Type_is_refused()
    {
        var body = TestManifests.Image(MediaTypes.OciImageManifest, Config, Layer1);

        var error = Refuse(body, MediaTypes.DockerManifest);

        Assert.Contains("does not match", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("")]
    public void A_descriptor_with_a_bad_digest_is_refused(string digest)
    {
        var body = TestManifests.Image(MediaTypes.OciImageManifest, Config, Layer1 with { Digest = digest });

        var error = Refuse(body, MediaTypes.OciImageManifest);

        Assert.Contains("layers[0].digest", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_descriptor_with_a_negative_size_is_refused()
    {
        var body = TestManifests.Image(MediaTypes.OciImageManifest, Config with { Size = -1 }, Layer1);

        Assert.Contains("config.size", Refuse(body, MediaTypes.OciImageManifest), StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_manifest_without_config_is_refused()
    {
        var json = TestManifests.ImageJson(MediaTypes.OciImageManifest, Config, Layer1);
        json.Remove("config");

        Assert.Contains("'config' is required", Refuse(TestManifests.Serialize(json), MediaTypes.OciImageManifest), StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_manifest_without_layers_is_refused()
    {
        var json = TestManifests.ImageJson(MediaTypes.OciImageManifest, Config);
        json.Remove("layers");

        Assert.Contains("'layers'", Refuse(TestManifests.Serialize(json), MediaTypes.OciImageManifest), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_media_type_is_refused()
    {
        var body = TestManifests.Image("application/vnd.example.unknown+json", Config, Layer1);

        Assert.Contains("unsupported manifest media type", Refuse(body, null), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"schemaVersion":3,"mediaType":"application/vnd.oci.image.manifest.v1+json"}""")]
    [InlineData("""{"mediaType":"application/vnd.oci.image.manifest.v1+json"}""")]
    public void A_body_that_is_not_a_schema2_manifest_object_is_refused(string body)
    {
        Refuse(Encoding.UTF8.GetBytes(body), null);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void A_manifest_with_bytes_that_are_not_UTF8_in_a_string_is_refused(byte[] bad)
    {
        var body = Encoding.UTF8.GetString(TestManifests.Image(MediaTypes.OciImageManifest, Config, Layer1));
        var at = Encoding.UTF8.GetByteCount(body[..(body.IndexOf("tar+gzip", StringComparison.Ordinal) + 3)]);
        var bytes = Encoding.UTF8.GetBytes(body);

        var error = Refuse([.. bytes.AsSpan(0, at), .. bad, .. bytes.AsSpan(at)], MediaTypes.OciImageManifest);

        Assert.Contains("UTF-8", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("layers[0].mediaType")]
    [InlineData("annotations value")]
    [InlineData("annotations key")]
    [InlineData("artifactType")]
    public void A_manifest_with_an_escaped_lone_surrogate_in_a_string_is_refused(string where)
    {
        var json = TestManifests.ImageJson(MediaTypes.OciImageManifest, Config, Layer1);
        const string Lone = "LONE_SURROGATE";
        switch (where)
        {
            case "layers[0].mediaType":
                json["layers"]![0]!["mediaType"] = Lone;
                break;
            case "annotations value":
                json["annotations"] = new JsonObject { ["a"] = Lone };
                break;
            case "annotations key":
                json["annotations"] = new JsonObject { [Lone] = "a" };
                break;
            default:
                json["artifactType"] = Lone;
                break;
        }

        // JSON may escape half of a surrogate pair alone; no UTF-16 or UTF-8 string holds it.
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(TestManifests.Serialize(json)).Replace(Lone, "\\ud800", StringComparison.Ordinal));

        Assert.Contains("surrogate", Refuse(body, MediaTypes.OciImageManifest), StringComparison.Ordinal);
    }

    private static ManifestDocument Parse(byte[] body, string? contentType)
    {
        Assert.True(ManifestParser.TryParse(body, contentType, out var document, out var error), error);
        Assert.NotNull(document);
        return document;
    }

    private static string Refuse(byte[] body, string? contentType)
    {
        Assert.False(ManifestParser.TryParse(body, contentType, out var document, out var error));
        Assert.Null(document);
        Assert.False(string.IsNullOrEmpty(error));
        return error;
    }

    private static string Hex(char c) => "sha256:" + new string(c, 64);
}
