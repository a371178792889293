using System.Net;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary>
/// One upload session, several requests at once: at most one of them writes to or commits the
/// session, on any replica; the others answer an OCI error and change nothing, and no request can
/// write to a blob once it is committed (issue 15, defect 1).
/// </summary>
public sealed class UploadSessionRaceTests : IDisposable
{
    private const int HeldPartSize = 2 * 1024 * 1024;

    private readonly TemporaryDirectory _root = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_PUT_while_another_request_writes_to_the_session_answers_416_and_commits_nothing(bool otherReplica)
    {
        await using var first = new FileSystemBlobService(_root.Path);
        await using var second = new FileSystemBlobService(_root.Path);
        using var writer = first.CreateRegistryClient();
        using var committer = otherReplica ? second.CreateRegistryClient() : first.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var chunk = TestContent.NewBlob(1000);
        var held = TestContent.NewBlob(HeldPartSize);
        var rest = TestContent.NewBlob(3000);
        var location = await writer.StartUploadAsync(repository);
        using (var patch = await writer.PatchChunkAsync(location, chunk, 0))
        {
            await OciAssert.StatusAsync(patch, HttpStatusCode.Accepted);
        }

        // A slow PATCH: its first part is on the disk, the rest not yet sent.
        var slowBody = HeldBody.Octets(held, rest);
        var slow = writer.PatchAsync(location, slowBody, Token);
        await UploadData.WaitForAsync(_root.Path, repository, location, chunk.Length + 1);

        // The digest of the bytes the session holds on the disk right now: a commit of exactly
        // those bytes would verify, and the slow PATCH would then go on writing into the blob.
        byte[] whole = [.. chunk, .. held, .. rest];
        var onDisk = UploadData.File(_root.Path, repository, location).Length;
        var chunkDigest = TestContent.DigestOf(whole[..(int)onDisk]);
        using (var put = await committer.PutAsync(RegistryHttp.WithDigest(location, chunkDigest), content: null, Token))
        {
            await OciAssert.ErrorAsync(put, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
            Assert.NotNull(put.Header("Range"));
        }

        slowBody.Release();
        using (var slowAnswer = await slow)
        {
            await OciAssert.StatusAsync(slowAnswer, HttpStatusCode.Accepted);
            Assert.Equal($"0-{chunk.Length + held.Length + rest.Length - 1}", slowAnswer.Header("Range"));
        }

        // Nothing was committed under the digest of that prefix, anywhere.
        using (var head = await writer.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{chunkDigest}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        Assert.False(File.Exists(_root.Path + RegistryPaths.BlobData(Digest.Parse(chunkDigest))));

        // The session holds every byte sent, and commits them under their own digest.
        var wholeDigest = TestContent.DigestOf(whole);
        using (var put = await committer.PutAsync(RegistryHttp.WithDigest(location, wholeDigest), content: null, Token))
        {
            await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        }

        Assert.Equal(whole, await writer.GetByteArrayAsync($"/v2/{repository}/blobs/{wholeDigest}", Token));
    }

    [Fact]
    public async Task A_second_PATCH_while_one_is_writing_answers_416_and_adds_nothing()
    {
        await using var service = new FileSystemBlobService(_root.Path);
        using var client = service.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var held = TestContent.NewBlob(HeldPartSize);
        var rest = TestContent.NewBlob(500);
        var location = await client.StartUploadAsync(repository);

        var slowBody = HeldBody.Octets(held, rest);
        var slow = client.PatchAsync(location, slowBody, Token);
        await UploadData.WaitForAsync(_root.Path, repository, location, 1);

        using (var overlapping = await client.PatchAsync(location, RegistryHttp.Octets(TestContent.NewBlob(100)), Token))
        {
            await OciAssert.ErrorAsync(overlapping, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        }

        using (var cancel = await client.DeleteAsync(location, Token))
        {
            await OciAssert.ErrorAsync(cancel, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        }

        slowBody.Release();
        using (var slowAnswer = await slow)
        {
            await OciAssert.StatusAsync(slowAnswer, HttpStatusCode.Accepted);
        }

        byte[] whole = [.. held, .. rest];
        var digest = TestContent.DigestOf(whole);
        using var put = await client.PutAsync(RegistryHttp.WithDigest(location, digest), content: null, Token);
        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal(whole, await client.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
    }

    [Fact]
    public async Task A_request_on_a_committed_session_answers_404_and_the_blob_keeps_its_bytes()
    {
        await using var service = new FileSystemBlobService(_root.Path);
        using var client = service.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(4000);
        var digest = TestContent.DigestOf(content);
        var location = await client.StartUploadAsync(repository);
        using (var put = await client.PutAsync(RegistryHttp.WithDigest(location, digest), RegistryHttp.Octets(content), Token))
        {
            await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        }

        using (var patch = await client.PatchAsync(location, RegistryHttp.Octets(TestContent.NewBlob(10)), Token))
        {
            await OciAssert.ErrorAsync(patch, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }

        using (var again = await client.PutAsync(RegistryHttp.WithDigest(location, digest), RegistryHttp.Octets(content), Token))
        {
            await OciAssert.ErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }

        Assert.Equal(content, await client.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
        Assert.False(Directory.Exists(_root.Path + RegistryPaths.UploadDirectory(repository, location[(location.LastIndexOf('/') + 1)..])));
    }
}
