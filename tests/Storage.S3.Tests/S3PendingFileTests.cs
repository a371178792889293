using Amazon.S3.Model;
using RegistryCloud.Storage.S3.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.S3.Tests;

/// <summary>
/// What a pending file (an open multipart upload and its record) leaves in the bucket: nothing once
/// it is deleted or moved into place, so abandoned upload sessions cannot leak parts invisibly; and a
/// record left beside an object by a step cut short yields to the object. On s3rver with the listing
/// and abort of multipart uploads that AWS has.
/// </summary>
[Collection(S3AwsFeaturesCollection.Name)]
public sealed class S3PendingFileTests : IDisposable
{
    private const int MiB = 1024 * 1024;
    private const int Seed = 5;

    private readonly S3StorageOptions _options;
    private readonly S3StorageDriver _driver;

    public S3PendingFileTests(S3rverWithAwsFeatures server)
    {
        _options = server.NewOptions();
        _driver = server.NewDriver(_options);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deleting_an_upload_directory_aborts_the_multipart_upload_of_its_unfinished_data()
    {
        await AppendAsync("/r/_uploads/u/data", 0, 7 * MiB);
        await _driver.PutContentAsync("/r/_uploads/u/startedat", "now"u8.ToArray(), Token);
        Assert.Single(await PendingUploadsAsync());

        Assert.True(await _driver.DeleteAsync("/r/_uploads/u", Token));

        Assert.Empty(await PendingUploadsAsync());
        Assert.Empty(await ObjectsAsync());
    }

    [Fact]
    public async Task Moving_unfinished_data_into_place_completes_its_upload_and_leaves_only_the_blob()
    {
        await AppendAsync("/r/_uploads/u/data", 0, 6 * MiB);
        await AppendAsync("/r/_uploads/u/data", 6 * MiB, 3 * MiB + 1);

        Assert.True(await _driver.MoveAsync("/r/_uploads/u/data", "/blobs/ab/data", Token));

        Assert.Empty(await PendingUploadsAsync());
        Assert.Equal([Key("/blobs/ab/data")], await ObjectsAsync());
        Assert.Equal(9 * MiB + 1, (await _driver.StatAsync("/blobs/ab/data", Token))?.Size);
    }

    [Fact]
    public async Task A_writer_disposed_without_a_commit_aborts_the_upload_it_started()
    {
        await AppendAsync("/r/_uploads/u/data", 0, MiB);
        var writer = await _driver.OpenWriterAsync("/r/_uploads/u/data", append: true, Token);
        await using (writer)
        {
            await writer.WriteAsync(TestBytes.Slice(Seed, MiB, 6 * MiB), Token);
        }

        Assert.Empty(await PendingUploadsAsync());
        Assert.Equal(MiB, (await _driver.StatAsync("/r/_uploads/u/data", Token))?.Size);
    }

    [Fact]
    public async Task A_record_left_beside_an_object_yields_to_it_and_the_next_append_replaces_it_and_aborts_its_upload()
    {
        const string Path = "/r/_uploads/u/data";
        await AppendAsync(Path, 0, 7 * MiB);
        // As an append to a whole object leaves it when cut short after its record was written:
        // the object holds what the last finished commit wrote.
        await _driver.PutContentAsync(Path, TestBytes.Slice(Seed, 0, 1000), Token);

        Assert.Equal(1000, (await _driver.StatAsync(Path, Token))?.Size);
        Assert.Equal(TestBytes.Slice(Seed, 0, 1000), await _driver.GetContentAsync(Path, Token));
        Assert.Equal([Path], await _driver.ListAsync("/r/_uploads/u", Token));

        await AppendAsync(Path, 1000, 10);

        Assert.Empty(await PendingUploadsAsync());
        Assert.Equal([Key(Path) + S3StorageDriver.PendingSuffix], await ObjectsAsync());
        Assert.Equal(TestBytes.Slice(Seed, 0, 1010), await _driver.GetContentAsync(Path, Token));
    }

    public void Dispose() => _driver.Dispose();

    private async Task AppendAsync(string path, long offset, int length)
    {
        var writer = await _driver.OpenWriterAsync(path, append: offset > 0, Token);
        await using (writer)
        {
            Assert.Equal(offset, writer.Size);
            await writer.WriteAsync(TestBytes.Slice(Seed, offset, length), Token);
            await writer.CommitAsync(Token);
        }
    }

    private string Root => _options.RootDirectory.Trim('/') + "/";

    private string Key(string path) => Root + path[1..];

    private async Task<List<string>> PendingUploadsAsync()
    {
        var uploads = await _driver.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = S3rverServer.Bucket, Prefix = Root }, Token);
        return [.. (uploads.MultipartUploads ?? []).Select(upload => upload.Key)];
    }

    private async Task<List<string>> ObjectsAsync()
    {
        var page = await _driver.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3rverServer.Bucket, Prefix = Root }, Token);
        return [.. (page.S3Objects ?? []).Select(item => item.Key).Order(StringComparer.Ordinal)];
    }
}
