using System.Net;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Conformance;

/// <summary>OCI distribution-spec conformance, "Content discovery": tag listing with pagination, and referrers.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ContentDiscoveryTests(RegistryAppFixture registry)
{
    private const string ArtifactType = "application/vnd.example.signature.v1";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private HttpClient Http => registry.Http;

    [Fact]
    public async Task Tags_are_listed_in_lexical_order_page_by_page_with_Link()
    {
        var repository = ConformanceRequests.NewRepository("discovery");
        var image = ConformanceRequests.Image("discovery-tags");
        var digest = await Http.PushImageAsync(repository, image, "latest");
        foreach (var tag in new[] { "v2", "v10", "v1", "alpha" })
        {
            await Http.PushManifestAsync(repository, tag, image.Manifest, "application/vnd.oci.image.manifest.v1+json");
        }

        var all = await Tags($"v2/{repository}/tags/list");
        Assert.Equal(["alpha", "latest", "v1", "v10", "v2"], all);

        using var firstPage = await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/tags/list?n=2").ExpectAsync(HttpStatusCode.OK);
        var link = ConformanceRequests.Header(firstPage, "Link");
        Assert.Contains("rel=\"next\"", link, StringComparison.Ordinal);
        var next = link[(link.IndexOf('<', StringComparison.Ordinal) + 1)..link.IndexOf('>', StringComparison.Ordinal)].TrimStart('/');
        Assert.Equal(["v1", "v10"], await Tags(next));
        Assert.Equal(["v10", "v2"], await Tags($"v2/{repository}/tags/list?n=2&last=v1"));
        Assert.Empty(await Tags($"v2/{repository}/tags/list?n=0"));
        Assert.Equal(image.ManifestDigest, digest);
    }

    [Fact]
    public async Task Tags_of_a_repository_that_does_not_exist_answer_404_NAME_UNKNOWN()
    {
        await Http.SendAsync(HttpMethod.Get, $"v2/{ConformanceRequests.NewRepository("discovery")}/tags/list")
            .ExpectErrorAsync(HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task A_manifest_with_a_subject_is_listed_by_the_referrers_API_and_filtered_by_artifact_type()
    {
        var repository = ConformanceRequests.NewRepository("discovery");
        var subject = await Http.PushImageAsync(repository, ConformanceRequests.Image("discovery-subject"), "v1");
        var signature = ConformanceRequests.Image("discovery-signature", subject, ArtifactType);
        var other = ConformanceRequests.Image("discovery-other", subject, "application/vnd.example.sbom.v1");
        await Http.PushBlobWithPutAsync(repository, signature.Config);
        await Http.PushBlobWithPutAsync(repository, signature.Layer);
        await Http.PushBlobWithPutAsync(repository, other.Config);
        await Http.PushBlobWithPutAsync(repository, other.Layer);

        using (var pushed = await Http.SendAsync(HttpMethod.Put, $"v2/{repository}/manifests/{signature.ManifestDigest}",
            RegistryHttp.Typed(signature.Manifest, "application/vnd.oci.image.manifest.v1+json")).ExpectAsync(HttpStatusCode.Created))
        {
            Assert.Equal(subject, ConformanceRequests.Header(pushed, "OCI-Subject"));
        }

        await Http.PushManifestAsync(repository, other.ManifestDigest, other.Manifest, "application/vnd.oci.image.manifest.v1+json");

        var index = await Http.GetJsonAsync($"v2/{repository}/referrers/{subject}", HttpStatusCode.OK, Token);
        Assert.Equal("application/vnd.oci.image.index.v1+json", index["mediaType"]!.GetValue<string>());
        Assert.Equal(
            new[] { other.ManifestDigest, signature.ManifestDigest }.Order(StringComparer.Ordinal),
            index["manifests"]!.AsArray().Select(entry => entry!["digest"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        using var filtered = await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/referrers/{subject}?artifactType={Uri.EscapeDataString(ArtifactType)}")
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("artifactType", ConformanceRequests.Header(filtered, "OCI-Filters-Applied"));
        var only = System.Text.Json.Nodes.JsonNode.Parse(await filtered.Content.ReadAsStringAsync(Token))!["manifests"]!.AsArray();
        var entry = Assert.Single(only);
        Assert.Equal(signature.ManifestDigest, entry!["digest"]!.GetValue<string>());
        Assert.Equal(ArtifactType, entry["artifactType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Referrers_of_a_digest_nothing_refers_to_are_an_empty_index()
    {
        var repository = ConformanceRequests.NewRepository("discovery");
        var subject = await Http.PushImageAsync(repository, ConformanceRequests.Image("discovery-lonely"), "v1");

        var index = await Http.GetJsonAsync($"v2/{repository}/referrers/{subject}", HttpStatusCode.OK, Token);

        Assert.Empty(index["manifests"]!.AsArray());
    }

    private async Task<IReadOnlyList<string>> Tags(string path)
    {
        var list = await Http.GetJsonAsync(path, HttpStatusCode.OK, Token);
        return list["tags"]?.AsArray().Select(tag => tag!.GetValue<string>()).ToList() ?? [];
    }
}
