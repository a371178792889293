using System.Net;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary>
/// <c>policies.quotas</c> on blob pushes: a body whose declared length would take the repository
/// past its quota is refused before any of it is stored; one of unknown length at the commit,
/// leaving nothing in the content store; a blob the repository holds already adds nothing.
/// </summary>
public sealed class QuotaTests(QuotaBlobService service) : IClassFixture<QuotaBlobService>
{
    private readonly HttpClient _client = service.CreateRegistryClient();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_monolithic_push_past_the_quota_is_denied_naming_the_quota_and_nothing_is_stored()
    {
        var repository = TestContent.NewRepository("quota");
        await _client.PushBlobAsync(repository, TestContent.NewBlob(600));
        var content = TestContent.NewBlob(401);

        using var response = await _client.PostBlobAsync(repository, content);

        await OciAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "DENIED");
        Assert.Contains("1000 bytes", await response.Content.ReadAsStringAsync(Token));
        Assert.Contains("policies.quotas[0]", await response.Content.ReadAsStringAsync(Token));
        await BlobMissingAsync(repository, content);
        await _client.PushBlobAsync(repository, TestContent.NewBlob(400));
    }

    [Fact]
    public async Task A_chunk_past_the_quota_is_denied_and_the_session_keeps_what_it_had()
    {
        var repository = TestContent.NewRepository("quota");
        var content = TestContent.NewBlob(1000);
        var location = await _client.StartUploadAsync(repository);
        using (var first = await _client.PatchChunkAsync(location, content[..600], 0))
        {
            await OciAssert.StatusAsync(first, HttpStatusCode.Accepted);
        }

        using var tooMuch = await _client.PatchChunkAsync(location, TestContent.NewBlob(401), 600);

        await OciAssert.ErrorAsync(tooMuch, HttpStatusCode.Forbidden, "DENIED");
        using var status = await _client.GetAsync(location, Token);
        Assert.Equal("0-599", status.Header("Range"));
        using var rest = await _client.PutAsync(RegistryHttp.WithDigest(location, TestContent.DigestOf(content)), RegistryHttp.Octets(content[600..]), Token);
        await OciAssert.StatusAsync(rest, HttpStatusCode.Created);
        Assert.Equal(content, await _client.GetByteArrayAsync($"/v2/{repository}/blobs/{TestContent.DigestOf(content)}", Token));
    }

    [Fact]
    public async Task A_streamed_upload_of_unknown_length_past_the_quota_is_denied_at_the_commit_and_nothing_is_stored()
    {
        var repository = TestContent.NewRepository("quota");
        var content = TestContent.NewBlob(1001);
        var location = await _client.StartUploadAsync(repository);
        using (var patch = await _client.PatchAsync(location, Unsized(content), Token))
        {
            // Its length was not declared: the bytes are received, and weighed at the commit.
            await OciAssert.StatusAsync(patch, HttpStatusCode.Accepted);
        }

        using var put = await _client.PutAsync(RegistryHttp.WithDigest(location, TestContent.DigestOf(content)), content: null, Token);

        await OciAssert.ErrorAsync(put, HttpStatusCode.Forbidden, "DENIED");
        await BlobMissingAsync(repository, content);
        using var session = await _client.GetAsync(location, Token);
        await OciAssert.ErrorAsync(session, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task A_blob_the_repository_holds_is_pushed_again_at_the_quota()
    {
        var repository = TestContent.NewRepository("quota");
        var content = TestContent.NewBlob(1000);
        await _client.PushBlobAsync(repository, content);

        await _client.PushBlobAsync(repository, content);

        using var other = await _client.PostBlobAsync(repository, TestContent.NewBlob(1));
        await OciAssert.ErrorAsync(other, HttpStatusCode.Forbidden, "DENIED");
    }

    [Fact]
    public async Task A_mount_past_the_quota_is_denied_and_links_nothing()
    {
        var source = TestContent.NewRepository("free");
        var target = TestContent.NewRepository("quota");
        var big = await _client.PushBlobAsync(source, TestContent.NewBlob(1001));
        var small = await _client.PushBlobAsync(source, TestContent.NewBlob(1000));

        using var denied = await _client.PostAsync($"/v2/{target}/blobs/uploads/?mount={big}&from={source}", content: null, Token);
        using var mounted = await _client.PostAsync($"/v2/{target}/blobs/uploads/?mount={small}&from={source}", content: null, Token);

        await OciAssert.ErrorAsync(denied, HttpStatusCode.Forbidden, "DENIED");
        await OciAssert.StatusAsync(mounted, HttpStatusCode.Created);
        using var missing = await _client.GetAsync($"/v2/{target}/blobs/{big}", Token);
        await OciAssert.ErrorAsync(missing, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Repositories_no_rule_covers_have_no_limit()
    {
        await _client.PushBlobAsync(TestContent.NewRepository("free"), TestContent.NewBlob(5000));
    }

    private async Task BlobMissingAsync(string repository, byte[] content)
    {
        using var blob = await _client.GetAsync($"/v2/{repository}/blobs/{TestContent.DigestOf(content)}", Token);
        await OciAssert.ErrorAsync(blob, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    /// <summary>A body whose length is not declared (sent chunked), as a streamed PATCH is.</summary>
    private static StreamContent Unsized(byte[] content) => new(new ForwardOnlyStream(content));

    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
