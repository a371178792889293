using System.Text;
using RegistryCloud.Configuration;
using RegistryCloud.ManifestService.Manifests;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Tests.Manifests;

/// <summary><c>validation.manifests.urls</c> and foreign layers, as Distribution applies them.</summary>
public sealed class LayerUrlPolicyTests
{
    private const string Foreign = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    private const string Layer = "application/vnd.oci.image.layer.v1.tar+gzip";
    private const string DockerForeign = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    [Theory]
    [InlineData("https://mirror.example.com/layer.tar.gz")]
    [InlineData("http://mirror.example.com/layer")]
    public void Absolute_http_urls_pass_when_no_rule_is_configured(string url)
    {
        Assert.Null(Policy().Check(Manifest(Foreign, url)));
    }

    [Theory]
    [InlineData("ftp://mirror.example.com/layer")]
    [InlineData("/relative/layer")]
    [InlineData("https://mirror.example.com/layer#part")]
    public void Urls_that_are_not_absolute_http_without_fragment_are_refused(string url)
    {
        var refused = Policy().Check(Manifest(Foreign, url));

        Assert.NotNull(refused);
        Assert.Contains("layers[0].urls", refused, StringComparison.Ordinal);
    }

    [Fact]
    public void Allow_and_deny_expressions_decide_which_urls_pass()
    {
        var policy = Policy(allow: ["^https://mirror\\.example\\.com/"], deny: ["/secret/"]);

        Assert.Null(policy.Check(Manifest(Foreign, "https://mirror.example.com/layer")));
        Assert.NotNull(policy.Check(Manifest(Foreign, "https://elsewhere.example.com/layer")));
        Assert.NotNull(policy.Check(Manifest(Foreign, "https://mirror.example.com/secret/layer")));
    }

    [Fact]
    public void With_validation_disabled_the_expressions_are_not_applied_and_the_other_checks_are()
    {
        var policy = Policy(allow: ["^https://mirror\\.example\\.com/"], deny: ["/secret/"], disabled: true);

        Assert.Null(policy.Check(Manifest(Foreign, "https://elsewhere.example.com/layer")));
        Assert.Null(policy.Check(Manifest(Foreign, "https://mirror.example.com/secret/layer")));
        Assert.NotNull(policy.Check(Manifest(Foreign, "ftp://mirror.example.com/layer")));
        Assert.NotNull(policy.Check(Manifest(DockerForeign, url: null)));
    }

    [Fact]
    public void A_docker_foreign_layer_without_urls_is_refused()
    {
        Assert.Contains("foreign layer", Policy().Check(Manifest(DockerForeign, url: null)), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_foreign_layers_with_urls_are_exempt_from_the_presence_check()
    {
        Assert.True(Descriptor(Foreign, "https://mirror.example.com/l").IsForeign);
        Assert.False(Descriptor(Layer, "https://mirror.example.com/l").IsForeign);
        Assert.False(Descriptor(Foreign, url: null).IsForeign);
    }

    [Fact]
    public void The_parser_keeps_every_url_of_a_descriptor()
    {
        var layer = Digest.Compute("layer"u8);
        var config = Digest.Compute("{}"u8);
        var json = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{config}}","size":2},
             "layers":[{"mediaType":"{{Foreign}}","digest":"{{layer}}","size":5,"urls":["https://a.example/l","https://b.example/l"]}]}
            """;

        Assert.True(ManifestParser.TryParse(Encoding.UTF8.GetBytes(json), null, out var document, out var error), error);
        Assert.Equal(["https://a.example/l", "https://b.example/l"], document!.Blobs[1].Urls);
    }

    private static LayerUrlPolicy Policy(string[]? allow = null, string[]? deny = null, bool disabled = false) =>
        new(new RegistryConfiguration
        {
            Validation = new ValidationConfiguration { ManifestUrlsAllow = allow ?? [], ManifestUrlsDeny = deny ?? [], Disabled = disabled },
        });

    private static ManifestDocument Manifest(string layerMediaType, string? url) =>
        new(MediaTypes.OciImageManifest, [Descriptor(MediaTypes.OciImageConfig, url: null), Descriptor(layerMediaType, url)], [], null, null);

    private static ManifestDescriptor Descriptor(string mediaType, string? url) =>
        new(mediaType, Digest.Compute(Encoding.UTF8.GetBytes(mediaType)), 1, url is not null) { Urls = url is null ? [] : [url] };
}
