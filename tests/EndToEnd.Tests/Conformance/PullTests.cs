using System.Net;
using System.Net.Http.Headers;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Conformance;

/// <summary>OCI distribution-spec conformance, "Pull": blobs and manifests by tag and digest, and their misses.</summary>
[Collection(RegistryCollection.Name)]
public sealed class PullTests(RegistryAppFixture registry)
{
    private HttpClient Http => registry.Http;

    [Fact]
    public async Task Blobs_answer_HEAD_and_GET_with_digest_and_length_and_404_BLOB_UNKNOWN_when_missing()
    {
        var repository = ConformanceRequests.NewRepository("pull");
        var image = ConformanceRequests.Image("pull-blobs");
        await Http.PushImageAsync(repository, image, "v1");
        var missing = OciBlob.DigestOf(Guid.NewGuid().ToByteArray());

        using (var head = await Http.SendAsync(HttpMethod.Head, $"v2/{repository}/blobs/{image.LayerDigest}").ExpectAsync(HttpStatusCode.OK))
        {
            Assert.Equal(image.LayerDigest, ConformanceRequests.Header(head, "Docker-Content-Digest"));
            Assert.Equal(image.Layer.Length, head.Content.Headers.ContentLength);
        }

        using (var get = await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{image.LayerDigest}").ExpectAsync(HttpStatusCode.OK))
        {
            Assert.Equal(image.Layer, await get.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }

        (await Http.SendAsync(HttpMethod.Head, $"v2/{repository}/blobs/{missing}").ExpectAsync(HttpStatusCode.NotFound)).Dispose();

        await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{missing}").ExpectErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task A_range_GET_of_a_blob_answers_206_with_the_bytes_asked_for()
    {
        var repository = ConformanceRequests.NewRepository("pull");
        var image = ConformanceRequests.Image("pull-range");
        await Http.PushBlobWithPutAsync(repository, image.Layer);

        using var response = await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{image.LayerDigest}",
            configure: request => request.Headers.Range = new RangeHeaderValue(10, 19)).ExpectAsync(HttpStatusCode.PartialContent);

        Assert.Equal(image.Layer[10..20], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal($"bytes 10-19/{image.Layer.Length}", response.Content.Headers.ContentRange?.ToString());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task Manifests_answer_by_tag_and_by_digest_with_the_pushed_digest(string method)
    {
        var repository = ConformanceRequests.NewRepository("pull");
        var image = ConformanceRequests.Image("pull-manifest-" + method);
        var digest = await Http.PushImageAsync(repository, image, "v1");
        Assert.Equal(image.ManifestDigest, digest);

        foreach (var reference in new[] { "v1", digest })
        {
            using var response = await Http.SendAsync(new HttpMethod(method), $"v2/{repository}/manifests/{reference}",
                configure: request => request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciMediaTypes.ImageManifest)))
                .ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(digest, ConformanceRequests.Header(response, "Docker-Content-Digest"));
            Assert.Equal(OciMediaTypes.ImageManifest, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(image.Manifest.Length, response.Content.Headers.ContentLength);
            if (method == "GET")
            {
                Assert.Equal(image.Manifest, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
            }
        }
    }

    [Fact]
    public async Task A_missing_manifest_answers_404_MANIFEST_UNKNOWN_by_tag_and_by_digest()
    {
        var repository = ConformanceRequests.NewRepository("pull");
        await Http.PushImageAsync(repository, ConformanceRequests.Image("pull-missing"), "v1");

        await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/manifests/no-such-tag").ExpectErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/manifests/{OciBlob.DigestOf(Guid.NewGuid().ToByteArray())}")
            .ExpectErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task A_manifest_PUT_to_a_malformed_digest_answers_400_with_an_OCI_error_body()
    {
        var repository = ConformanceRequests.NewRepository("pull");

        await Http.SendAsync(HttpMethod.Put, $"v2/{repository}/manifests/sha256:totallywrong",
            RegistryHttp.Typed("{}"u8.ToArray(), OciMediaTypes.ImageManifest)).ExpectErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }
}
