using System.Net;
using System.Net.Http.Headers;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Blobs;

/// <summary>
/// OCI spec, pulling blobs: GET and HEAD with Range and conditional requests. Run against both
/// drivers, since a local file is sent by another code path than a stream.
/// </summary>
public abstract class BlobPullSuite<TService>(TService service) : IClassFixture<TService>
    where TService : BlobServiceFactory
{
    private const int Size = 100;
    private readonly HttpClient _client = service.CreateRegistryClient();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GET_answers_the_bytes_with_length_digest_and_etag()
    {
        var (repository, content, digest) = await PushAsync();

        using var response = await _client.GetAsync($"/v2/{repository}/blobs/{digest}", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(Size, response.Content.Headers.ContentLength);
        Assert.Equal(digest, response.Header("Docker-Content-Digest"));
        Assert.Equal($"\"{digest}\"", response.Headers.ETag?.ToString());
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task HEAD_answers_the_same_headers_and_no_body()
    {
        var (repository, _, digest) = await PushAsync();

        using var response = await _client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(Size, response.Content.Headers.ContentLength);
        Assert.Equal(digest, response.Header("Docker-Content-Digest"));
        Assert.Equal($"\"{digest}\"", response.Headers.ETag?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task A_range_request_answers_206_with_exactly_those_bytes()
    {
        var (repository, content, digest) = await PushAsync();

        using var response = await _client.GetAsync(
            $"/v2/{repository}/blobs/{digest}",
            request => request.Headers.Range = new RangeHeaderValue(10, 19));

        await OciAssert.StatusAsync(response, HttpStatusCode.PartialContent);
        Assert.Equal($"bytes 10-19/{Size}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(10, response.Content.Headers.ContentLength);
        Assert.Equal(content[10..20], await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task An_open_ended_range_answers_the_rest_of_the_blob()
    {
        var (repository, content, digest) = await PushAsync();

        using var response = await _client.GetAsync(
            $"/v2/{repository}/blobs/{digest}",
            request => request.Headers.Range = new RangeHeaderValue(90, null));

        await OciAssert.StatusAsync(response, HttpStatusCode.PartialContent);
        Assert.Equal($"bytes 90-99/{Size}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[90..], await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task A_suffix_range_answers_the_last_bytes()
    {
        var (repository, content, digest) = await PushAsync();

        using var response = await _client.GetAsync(
            $"/v2/{repository}/blobs/{digest}",
            request => request.Headers.Range = new RangeHeaderValue(null, 7));

        await OciAssert.StatusAsync(response, HttpStatusCode.PartialContent);
        Assert.Equal($"bytes 93-99/{Size}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[^7..], await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task An_unsatisfiable_range_answers_416()
    {
        var (repository, _, digest) = await PushAsync();

        using var response = await _client.GetAsync(
            $"/v2/{repository}/blobs/{digest}",
            request => request.Headers.Range = new RangeHeaderValue(500, 600));

        await OciAssert.StatusAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable);
        Assert.Equal($"bytes */{Size}", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task If_None_Match_with_the_etag_answers_304_without_a_body()
    {
        var (repository, _, digest) = await PushAsync();

        using var response = await _client.GetAsync(
            $"/v2/{repository}/blobs/{digest}",
            request => request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{digest}\"")));

        await OciAssert.StatusAsync(response, HttpStatusCode.NotModified);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task If_None_Match_with_another_etag_answers_the_blob()
    {
        var (repository, content, digest) = await PushAsync();
        var other = TestContent.DigestOf(TestContent.NewBlob());

        using var response = await _client.GetAsync(
            $"/v2/{repository}/blobs/{digest}",
            request => request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{other}\"")));

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task GET_of_a_blob_never_pushed_answers_404_BLOB_UNKNOWN()
    {
        var (repository, _, _) = await PushAsync();
        var unknown = TestContent.DigestOf(TestContent.NewBlob());

        using var response = await _client.GetAsync($"/v2/{repository}/blobs/{unknown}", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task HEAD_of_a_blob_never_pushed_answers_404_without_a_body()
    {
        var unknown = TestContent.DigestOf(TestContent.NewBlob());

        using var response = await _client.SendAsync(HttpMethod.Head, $"/v2/{TestContent.NewRepository()}/blobs/{unknown}");

        await OciAssert.StatusAsync(response, HttpStatusCode.NotFound);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task A_blob_pushed_to_one_repository_is_404_BLOB_UNKNOWN_in_another()
    {
        var (_, _, digest) = await PushAsync();

        using var response = await _client.GetAsync($"/v2/{TestContent.NewRepository()}/blobs/{digest}", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("latest")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    public async Task GET_with_a_malformed_digest_answers_400_DIGEST_INVALID(string digest)
    {
        using var response = await _client.GetAsync($"/v2/{TestContent.NewRepository()}/blobs/{digest}", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task A_blob_of_several_megabytes_and_a_range_across_its_pieces_come_back_byte_for_byte()
    {
        // Larger than the file sender's 256 KiB pieces and not a multiple of them.
        const int size = (3 * 1024 * 1024) + 12345;
        var (repository, content, digest) = await PushAsync(size);

        using var whole = await _client.GetAsync($"/v2/{repository}/blobs/{digest}", Token);
        await OciAssert.StatusAsync(whole, HttpStatusCode.OK);
        Assert.Equal(size, whole.Content.Headers.ContentLength);
        Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync(Token));

        using var part = await _client.GetAsync(
            $"/v2/{repository}/blobs/{digest}",
            request => request.Headers.Range = new RangeHeaderValue(262_000, 1_100_000));
        await OciAssert.StatusAsync(part, HttpStatusCode.PartialContent);
        Assert.Equal($"bytes 262000-1100000/{size}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[262_000..1_100_001], await part.Content.ReadAsByteArrayAsync(Token));
    }

    private async Task<(string Repository, byte[] Content, string Digest)> PushAsync(int size = Size)
    {
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(size);
        var digest = await _client.PushBlobAsync(repository, content);
        return (repository, content, digest);
    }
}
