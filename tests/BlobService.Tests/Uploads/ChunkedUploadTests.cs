using System.Net;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary>OCI spec, pushing a blob in chunks: PATCH with Content-Range, status, cancel, final PUT.</summary>
public sealed class ChunkedUploadTests(InMemoryBlobService service) : IClassFixture<InMemoryBlobService>
{
    private readonly HttpClient _client = service.CreateRegistryClient();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chunks_then_a_PUT_without_body_create_the_blob()
    {
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(25);
        var digest = TestContent.DigestOf(content);
        var location = await _client.StartUploadAsync(repository);
        var id = location[(location.LastIndexOf('/') + 1)..];

        using var first = await _client.PatchChunkAsync(location, content[..10], 0);
        await OciAssert.StatusAsync(first, HttpStatusCode.Accepted);
        Assert.Equal(location, first.Headers.Location?.OriginalString);
        Assert.Equal("0-9", first.Header("Range"));
        Assert.Equal(id, first.Header("Docker-Upload-UUID"));

        using var second = await _client.PatchChunkAsync(first.Headers.Location!.OriginalString, content[10..], 10);
        await OciAssert.StatusAsync(second, HttpStatusCode.Accepted);
        Assert.Equal("0-24", second.Header("Range"));

        using var put = await _client.PutAsync(RegistryHttp.WithDigest(second.Headers.Location!.OriginalString, digest), content: null, Token);
        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", put.Headers.Location?.OriginalString);
        Assert.Equal(digest, put.Header("Docker-Content-Digest"));
        Assert.Equal(content, await _client.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
    }

    [Fact]
    public async Task A_streamed_PATCH_without_Content_Range_then_a_PUT_with_the_last_bytes_create_the_blob()
    {
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(40);
        var digest = TestContent.DigestOf(content);
        var location = await _client.StartUploadAsync(repository);

        using var patch = await _client.PatchAsync(location, RegistryHttp.Octets(content[..30]), Token);
        await OciAssert.StatusAsync(patch, HttpStatusCode.Accepted);
        Assert.Equal("0-29", patch.Header("Range"));

        using var put = await _client.PutAsync(RegistryHttp.WithDigest(location, digest), RegistryHttp.Octets(content[30..]), Token);
        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal(content, await _client.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
    }

    [Fact]
    public async Task Chunked_upload_with_a_gap_answers_416()
    {
        var content = TestContent.NewBlob(30);
        var location = await _client.StartUploadAsync(TestContent.NewRepository());
        using var first = await _client.PatchChunkAsync(location, content[..10], 0);
        await OciAssert.StatusAsync(first, HttpStatusCode.Accepted);

        using var gap = await _client.PatchChunkAsync(location, content[15..], 15);

        await OciAssert.ErrorAsync(gap, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        Assert.Equal("0-9", gap.Header("Range"));
        using var status = await _client.GetAsync(location, Token);
        Assert.Equal("0-9", status.Header("Range"));
    }

    [Fact]
    public async Task A_first_chunk_that_does_not_start_at_zero_answers_416()
    {
        var location = await _client.StartUploadAsync(TestContent.NewRepository());

        using var response = await _client.PatchChunkAsync(location, TestContent.NewBlob(10), 5);

        await OciAssert.ErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
    }

    [Fact]
    public async Task A_chunk_resent_at_an_offset_already_written_answers_416()
    {
        var content = TestContent.NewBlob(20);
        var location = await _client.StartUploadAsync(TestContent.NewRepository());
        using var first = await _client.PatchChunkAsync(location, content[..10], 0);
        await OciAssert.StatusAsync(first, HttpStatusCode.Accepted);

        using var again = await _client.PatchChunkAsync(location, content[..10], 0);

        await OciAssert.ErrorAsync(again, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        using var status = await _client.GetAsync(location, Token);
        Assert.Equal("0-9", status.Header("Range"));
    }

    [Fact]
    public async Task A_Content_Range_that_disagrees_with_the_body_length_is_refused_and_nothing_is_written()
    {
        var location = await _client.StartUploadAsync(TestContent.NewRepository());
        var body = RegistryHttp.Octets(TestContent.NewBlob(10));
        body.Headers.TryAddWithoutValidation("Content-Range", "0-19");

        using var response = await _client.PatchAsync(location, body, Token);

        // Distribution answers 400 SIZE_INVALID here and RegistryCloud 416 RANGE_INVALID; clients only need the refusal.
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.RequestedRangeNotSatisfiable });
        using var status = await _client.GetAsync(location, Token);
        await OciAssert.StatusAsync(status, HttpStatusCode.NoContent);
        Assert.Equal("0-0", status.Header("Range"));
    }

    [Fact]
    public async Task Upload_status_answers_204_with_the_range_received_so_far()
    {
        var repository = TestContent.NewRepository();
        var location = await _client.StartUploadAsync(repository);
        using var patch = await _client.PatchChunkAsync(location, TestContent.NewBlob(12), 0);
        await OciAssert.StatusAsync(patch, HttpStatusCode.Accepted);

        using var status = await _client.GetAsync(location, Token);

        await OciAssert.StatusAsync(status, HttpStatusCode.NoContent);
        Assert.Equal("0-11", status.Header("Range"));
        Assert.Equal(location, status.Headers.Location?.OriginalString);
        Assert.Equal(location[(location.LastIndexOf('/') + 1)..], status.Header("Docker-Upload-UUID"));
    }

    [Fact]
    public async Task Cancelling_an_upload_answers_204_and_the_session_is_then_unknown()
    {
        var location = await _client.StartUploadAsync(TestContent.NewRepository());
        using var patch = await _client.PatchChunkAsync(location, TestContent.NewBlob(8), 0);
        await OciAssert.StatusAsync(patch, HttpStatusCode.Accepted);

        using var cancelled = await _client.DeleteAsync(location, Token);

        await OciAssert.StatusAsync(cancelled, HttpStatusCode.NoContent);
        using var status = await _client.GetAsync(location, Token);
        await OciAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var more = await _client.PatchChunkAsync(location, TestContent.NewBlob(8), 8);
        await OciAssert.ErrorAsync(more, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var again = await _client.DeleteAsync(location, Token);
        await OciAssert.ErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task A_completed_upload_session_is_gone()
    {
        var content = TestContent.NewBlob(16);
        var location = await _client.StartUploadAsync(TestContent.NewRepository());
        using var put = await _client.PutAsync(RegistryHttp.WithDigest(location, TestContent.DigestOf(content)), RegistryHttp.Octets(content), Token);
        await OciAssert.StatusAsync(put, HttpStatusCode.Created);

        using var status = await _client.GetAsync(location, Token);

        await OciAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task An_upload_session_belongs_to_the_repository_that_opened_it()
    {
        var location = await _client.StartUploadAsync(TestContent.NewRepository());
        var id = location[(location.LastIndexOf('/') + 1)..];

        using var elsewhere = await _client.GetAsync($"/v2/{TestContent.NewRepository()}/blobs/uploads/{id}", Token);

        await OciAssert.ErrorAsync(elsewhere, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }
}
