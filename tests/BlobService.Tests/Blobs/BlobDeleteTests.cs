using System.Net;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Blobs;

/// <summary>OCI spec, deleting blobs, with <c>storage.delete.enabled</c> set.</summary>
public sealed class BlobDeleteTests(DeletingBlobService service) : IClassFixture<DeletingBlobService>
{
    private readonly HttpClient _client = service.CreateRegistryClient();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deleting_a_blob_answers_202_and_it_is_then_404_BLOB_UNKNOWN()
    {
        var repository = TestContent.NewRepository();
        var digest = await _client.PushBlobAsync(repository, TestContent.NewBlob());

        using var deleted = await _client.DeleteAsync($"/v2/{repository}/blobs/{digest}", Token);

        await OciAssert.StatusAsync(deleted, HttpStatusCode.Accepted);
        Assert.Equal(digest, deleted.Header("Docker-Content-Digest"));
        using var pulled = await _client.GetAsync($"/v2/{repository}/blobs/{digest}", Token);
        await OciAssert.ErrorAsync(pulled, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        using var head = await _client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");
        await OciAssert.StatusAsync(head, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_blob_twice_answers_404_BLOB_UNKNOWN_the_second_time()
    {
        var repository = TestContent.NewRepository();
        var digest = await _client.PushBlobAsync(repository, TestContent.NewBlob());
        using var first = await _client.DeleteAsync($"/v2/{repository}/blobs/{digest}", Token);
        await OciAssert.StatusAsync(first, HttpStatusCode.Accepted);

        using var second = await _client.DeleteAsync($"/v2/{repository}/blobs/{digest}", Token);

        await OciAssert.ErrorAsync(second, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Deleting_a_blob_from_one_repository_leaves_it_in_another()
    {
        var kept = TestContent.NewRepository();
        var removed = TestContent.NewRepository();
        var content = TestContent.NewBlob();
        var digest = await _client.PushBlobAsync(kept, content);
        await _client.PushBlobAsync(removed, content);

        using var deleted = await _client.DeleteAsync($"/v2/{removed}/blobs/{digest}", Token);

        await OciAssert.StatusAsync(deleted, HttpStatusCode.Accepted);
        Assert.Equal(content, await _client.GetByteArrayAsync($"/v2/{kept}/blobs/{digest}", Token));
    }

    [Fact]
    public async Task Deleting_with_a_malformed_digest_answers_400_DIGEST_INVALID()
    {
        using var response = await _client.DeleteAsync($"/v2/{TestContent.NewRepository()}/blobs/sha256:abc", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }
}
