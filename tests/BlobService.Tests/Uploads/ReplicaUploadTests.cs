using System.Net;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Storage;
using RegistryCloud.Storage.FileSystem;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary>
/// Upload sessions live in storage, so any replica sharing the root continues one another began
/// (the design's "any upload Location keeps working on any replica").
/// </summary>
public sealed class ReplicaUploadTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task An_upload_begun_on_one_replica_is_continued_and_completed_on_another()
    {
        await using var first = new FileSystemBlobService(_root.Path);
        await using var second = new FileSystemBlobService(_root.Path);
        using var one = first.CreateRegistryClient();
        using var two = second.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(3000);
        var digest = TestContent.DigestOf(content);

        var location = await one.StartUploadAsync(repository);
        using var chunk = await two.PatchChunkAsync(location, content[..1000], 0);
        await OciAssert.StatusAsync(chunk, HttpStatusCode.Accepted);
        Assert.Equal("0-999", chunk.Header("Range"));
        using var put = await two.PutAsync(RegistryHttp.WithDigest(location, digest), RegistryHttp.Octets(content[1000..]), Token);

        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal(content, await one.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
        Assert.Equal(content, await two.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
        Assert.Empty(await new FileSystemStorageDriver(_root.Path).ListAsync(RegistryPaths.UploadsDirectory(repository), Token));
    }

    [Fact]
    public async Task A_replica_whose_running_hash_is_stale_still_verifies_the_whole_upload()
    {
        await using var first = new FileSystemBlobService(_root.Path);
        await using var second = new FileSystemBlobService(_root.Path);
        using var one = first.CreateRegistryClient();
        using var two = second.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(3000);
        var digest = TestContent.DigestOf(content);
        var location = await one.StartUploadAsync(repository);

        // The first replica hashes chunk one as it writes it; the second then appends chunk two.
        using var chunkOne = await one.PatchChunkAsync(location, content[..1200], 0);
        await OciAssert.StatusAsync(chunkOne, HttpStatusCode.Accepted);
        using var chunkTwo = await two.PatchChunkAsync(location, content[1200..2500], 1200);
        await OciAssert.StatusAsync(chunkTwo, HttpStatusCode.Accepted);
        using var status = await one.GetAsync(location, Token);
        Assert.Equal("0-2499", status.Header("Range"));
        using var put = await one.PutAsync(RegistryHttp.WithDigest(location, digest), RegistryHttp.Octets(content[2500..]), Token);

        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal(content, await two.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
    }

    [Fact]
    public async Task A_session_cancelled_on_one_replica_is_unknown_on_another()
    {
        await using var first = new FileSystemBlobService(_root.Path);
        await using var second = new FileSystemBlobService(_root.Path);
        using var one = first.CreateRegistryClient();
        using var two = second.CreateRegistryClient();
        var location = await one.StartUploadAsync(TestContent.NewRepository());

        using var cancelled = await two.DeleteAsync(location, Token);
        await OciAssert.StatusAsync(cancelled, HttpStatusCode.NoContent);

        using var status = await one.GetAsync(location, Token);
        await OciAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }
}
