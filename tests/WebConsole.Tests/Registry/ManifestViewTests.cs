using System.Net.Http.Headers;
using System.Text;
using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Tests.Registry;

public sealed class ManifestViewTests
{
    [Fact]
    public void An_index_lists_its_platforms_without_attestations()
    {
        var view = ManifestView.Parse(new ManifestBytes("application/vnd.oci.image.index.v1+json", "sha256:aa", Encoding.UTF8.GetBytes("""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:01","size":10,"platform":{"os":"linux","architecture":"amd64"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:02","size":11,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:03","size":12,"platform":{"os":"unknown","architecture":"unknown"},
               "annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}
            """)));

        Assert.True(view.IsIndex);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], view.Platforms);
        Assert.Equal("attestation-manifest", view.Manifests[2].Annotations.Single().Value);
    }

    [Fact]
    public void An_artifact_keeps_its_type_subject_layers_and_annotations()
    {
        var view = ManifestView.Parse(new ManifestBytes("application/vnd.oci.image.manifest.v1+json", "sha256:bb", Encoding.UTF8.GetBytes("""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/spdx+json",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44","size":2},
             "layers":[{"mediaType":"application/spdx+json","digest":"sha256:55","size":300}],
             "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:66","size":400},
             "annotations":{"<b>":"</dd><script>"}}
            """)));

        Assert.False(view.IsIndex);
        Assert.Equal("application/spdx+json", view.ArtifactType);
        Assert.Equal("sha256:66", view.Subject?.Digest);
        Assert.Equal(302, view.ContentSize);
        Assert.Equal(KeyValuePair.Create("<b>", "</dd><script>"), view.Annotations.Single());
    }

    [Fact]
    public void A_config_gives_created_platform_entrypoint_env_labels_and_history()
    {
        var config = ImageConfigView.TryParse(Encoding.UTF8.GetBytes("""
            {"created":"2024-01-01T00:00:00Z","os":"linux","architecture":"arm","variant":"v7",
             "config":{"Entrypoint":["/bin/app"],"Cmd":["--serve"],"Env":["A=1"],"Labels":{"team":"x"}},
             "history":[{"created":"2024-01-01T00:00:00Z","created_by":"COPY app /bin/app"},{"empty_layer":true}]}
            """));

        Assert.NotNull(config);
        Assert.Equal("2024-01-01T00:00:00Z", config.Created);
        Assert.Equal("linux/arm/v7", config.Platform);
        Assert.Equal(["/bin/app"], config.Entrypoint);
        Assert.Equal(["--serve"], config.Cmd);
        Assert.Equal(["A=1"], config.Env);
        Assert.Equal("x", config.Labels.Single().Value);
        Assert.Equal(2, config.History.Count);
        Assert.True(config.History[1].EmptyLayer);
    }

    [Fact]
    public void A_config_that_is_not_json_shows_nothing()
    {
        Assert.Null(ImageConfigView.TryParse([0x1f, 0x8b, 0x08]));
    }

    [Fact]
    public void A_bearer_challenge_gives_realm_service_and_scope()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer",
            "realm=\"http://gateway/auth/token\",service=\"registry\",scope=\"repository:team/app:pull,delete\",error=\"insufficient_scope\""));

        var challenge = BearerChallenge.Parse(response.Headers.WwwAuthenticate);

        Assert.Equal(new BearerChallenge("http://gateway/auth/token", "registry", "repository:team/app:pull,delete"), challenge);
    }

    [Theory]
    [InlineData("</v2/_catalog?last=b&n=2>; rel=\"next\"", "v2/_catalog?last=b&n=2")]
    [InlineData("<https://elsewhere.example/v2/_catalog?last=b>; rel=\"next\"", null)]
    [InlineData("</v2/_catalog?last=b&n=2>; rel=\"prev\"", null)]
    public void Only_a_next_link_into_the_registry_api_is_followed(string link, string? next)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Link", link);

        Assert.Equal(next, RegistryClient.NextLink(response));
    }
}
