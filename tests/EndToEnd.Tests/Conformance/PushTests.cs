using System.Net;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Conformance;

/// <summary>OCI distribution-spec conformance, "Push": every upload form, mounts, and manifest validation.</summary>
[Collection(RegistryCollection.Name)]
public sealed class PushTests(RegistryAppFixture registry)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private HttpClient Http => registry.Http;

    [Fact]
    public async Task A_single_POST_with_the_digest_and_body_creates_the_blob()
    {
        var repository = ConformanceRequests.NewRepository("push");
        var blob = "monolithic in one request"u8.ToArray();

        using var response = await Http.SendAsync(HttpMethod.Post, $"v2/{repository}/blobs/uploads/?digest={OciBlob.DigestOf(blob)}",
            RegistryHttp.Octets(blob)).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(OciBlob.DigestOf(blob), ConformanceRequests.Header(response, "Docker-Content-Digest"));
        Assert.Equal(blob, await Http.GetBlobAsync(repository, OciBlob.DigestOf(blob), Token));
    }

    [Fact]
    public async Task Chunks_in_order_are_accepted_with_Range_and_an_out_of_order_chunk_answers_416()
    {
        var repository = ConformanceRequests.NewRepository("push");
        var blob = new byte[3000];
        Random.Shared.NextBytes(blob);
        var location = await Http.OpenUploadAsync(repository);

        using (var first = await Http.SendAsync(HttpMethod.Patch, location, Chunk(blob, 0, 1000)).ExpectAsync(HttpStatusCode.Accepted))
        {
            Assert.Equal("0-999", ConformanceRequests.Header(first, "Range"));
            location = ConformanceRequests.Location(first);
        }

        await Http.SendAsync(HttpMethod.Patch, location, Chunk(blob, 2000, 1000)).ExpectAsync(HttpStatusCode.RequestedRangeNotSatisfiable);

        using (var status = await Http.SendAsync(HttpMethod.Get, location).ExpectAsync(HttpStatusCode.NoContent))
        {
            Assert.Equal("0-999", ConformanceRequests.Header(status, "Range"));
        }

        using (var second = await Http.SendAsync(HttpMethod.Patch, location, Chunk(blob, 1000, 1000)).ExpectAsync(HttpStatusCode.Accepted))
        {
            Assert.Equal("0-1999", ConformanceRequests.Header(second, "Range"));
            location = ConformanceRequests.Location(second);
        }

        // The last chunk travels with the closing PUT.
        await Http.SendAsync(HttpMethod.Put, RegistryHttp.WithDigest(location, OciBlob.DigestOf(blob)), Chunk(blob, 2000, 1000))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(blob, await Http.GetBlobAsync(repository, OciBlob.DigestOf(blob), Token));
    }

    [Fact]
    public async Task A_streamed_PATCH_without_Content_Range_then_an_empty_PUT_completes_the_blob()
    {
        var repository = ConformanceRequests.NewRepository("push");
        var blob = new byte[64 * 1024];
        Random.Shared.NextBytes(blob);
        var location = await Http.OpenUploadAsync(repository);

        using (var streamed = await Http.SendAsync(HttpMethod.Patch, location, new StreamContent(new MemoryStream(blob)))
            .ExpectAsync(HttpStatusCode.Accepted))
        {
            location = ConformanceRequests.Location(streamed);
        }

        await Http.SendAsync(HttpMethod.Put, RegistryHttp.WithDigest(location, OciBlob.DigestOf(blob))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(blob, await Http.GetBlobAsync(repository, OciBlob.DigestOf(blob), Token));
    }

    [Fact]
    public async Task A_PUT_whose_digest_does_not_match_the_body_answers_400_DIGEST_INVALID_and_stores_nothing()
    {
        var repository = ConformanceRequests.NewRepository("push");
        var blob = "the real bytes"u8.ToArray();
        var claimed = OciBlob.DigestOf("some other bytes"u8);
        var location = await Http.OpenUploadAsync(repository);

        await Http.SendAsync(HttpMethod.Put, RegistryHttp.WithDigest(location, claimed), RegistryHttp.Octets(blob))
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "DIGEST_INVALID");
        (await Http.SendAsync(HttpMethod.Head, $"v2/{repository}/blobs/{claimed}").ExpectAsync(HttpStatusCode.NotFound)).Dispose();
        (await Http.SendAsync(HttpMethod.Head, $"v2/{repository}/blobs/{OciBlob.DigestOf(blob)}").ExpectAsync(HttpStatusCode.NotFound)).Dispose();
    }

    [Fact]
    public async Task A_cross_repository_mount_answers_201_and_a_mount_of_a_missing_blob_opens_an_upload()
    {
        var source = ConformanceRequests.NewRepository("push");
        var target = ConformanceRequests.NewRepository("push");
        var blob = "mounted, not copied"u8.ToArray();
        await Http.PushBlobWithPutAsync(source, blob);
        var digest = OciBlob.DigestOf(blob);
        (await Http.SendAsync(HttpMethod.Head, $"v2/{target}/blobs/{digest}").ExpectAsync(HttpStatusCode.NotFound)).Dispose();

        using (var mounted = await Http.SendAsync(HttpMethod.Post, $"v2/{target}/blobs/uploads/?mount={digest}&from={source}")
            .ExpectAsync(HttpStatusCode.Created))
        {
            Assert.Equal(digest, ConformanceRequests.Header(mounted, "Docker-Content-Digest"));
        }

        Assert.Equal(blob, await Http.GetBlobAsync(target, digest, Token));
        var missing = OciBlob.DigestOf(Guid.NewGuid().ToByteArray());
        using var session = await Http.SendAsync(HttpMethod.Post, $"v2/{target}/blobs/uploads/?mount={missing}&from={source}")
            .ExpectAsync(HttpStatusCode.Accepted);
        Assert.Contains("/blobs/uploads/", ConformanceRequests.Location(session), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_naming_a_blob_the_repository_lacks_answers_400_MANIFEST_BLOB_UNKNOWN()
    {
        var repository = ConformanceRequests.NewRepository("push");
        var image = ConformanceRequests.Image("push-missing-layer");
        await Http.PushBlobWithPutAsync(repository, image.Config);

        await Http.SendAsync(HttpMethod.Put, $"v2/{repository}/manifests/v1", RegistryHttp.Typed(image.Manifest, OciMediaTypes.ImageManifest))
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        await Http.SendAsync(HttpMethod.Get, $"v2/{repository}/manifests/v1").ExpectErrorAsync(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task A_manifest_pushed_by_digest_with_tag_parameters_is_tagged_in_the_same_call()
    {
        var repository = ConformanceRequests.NewRepository("push");
        var image = ConformanceRequests.Image("push-by-digest");
        await Http.PushBlobWithPutAsync(repository, image.Config);
        await Http.PushBlobWithPutAsync(repository, image.Layer);

        var digest = await Http.PushManifestAsync(repository, $"{image.ManifestDigest}?tag=a&tag=b", image.Manifest, OciMediaTypes.ImageManifest);

        Assert.Equal(image.ManifestDigest, digest);
        var tags = await Http.GetJsonAsync($"v2/{repository}/tags/list", HttpStatusCode.OK, Token);
        Assert.Equal(["a", "b"], tags["tags"]!.AsArray().Select(tag => tag!.GetValue<string>()));
    }

    private static ByteArrayContent Chunk(byte[] blob, int start, int length)
    {
        var content = RegistryHttp.Octets(blob[start..(start + length)]);
        content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + length - 1}");
        return content;
    }
}
