using Amazon.S3.Model;
using RegistryCloud.Storage.S3.Tests.Infrastructure;

namespace RegistryCloud.Storage.S3.Tests;

/// <summary>What only the s3 driver does: keys under the root directory, presigned URLs.</summary>
[Collection(S3DriverCollection.Name)]
public sealed class S3DriverTests(S3rverServer server) : IDisposable
{
    private readonly S3StorageDriver _driver = server.NewDriver(server.NewOptions(rootDirectory: "/registry/" + Guid.NewGuid().ToString("N") + "/"));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Files_are_objects_keyed_by_the_root_directory_and_the_path_as_Distribution_keys_them()
    {
        await _driver.PutContentAsync("/docker/registry/v2/blobs/sha256/ab/abc/data", "x"u8.ToArray(), Token);

        var root = _driver.Options.RootDirectory.Trim('/');
        var listing = await _driver.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3rverServer.Bucket, Prefix = root + "/" }, Token);

        Assert.Equal([root + "/docker/registry/v2/blobs/sha256/ab/abc/data"], listing.S3Objects.Select(item => item.Key));
    }

    [Fact]
    public async Task A_presigned_download_URL_with_the_expiry_asked_for_serves_the_bytes_to_a_plain_HTTP_client()
    {
        var content = TestBytes.Slice(3, 0, 100_000);
        await _driver.PutContentAsync("/blobs/data", content, Token);

        var url = await _driver.GetDownloadUrlAsync("/blobs/data", TimeSpan.FromMinutes(5), Token);

        Assert.NotNull(url);
        Assert.Matches("X-Amz-Expires=(29[0-9]|30[01])(&|$)", url.Query);
        using var http = new HttpClient();
        Assert.Equal(content, await http.GetByteArrayAsync(url, Token));
    }

    [Fact]
    public void The_s3_driver_has_no_local_files()
    {
        Assert.Null(_driver.GetLocalFilePath("/any/path"));
    }

    [Fact]
    public async Task Plain_s3rver_is_found_to_ignore_conditional_writes()
    {
        // Why the cross-replica lock tests run on s3rver with conditional writes added: if this
        // fails, s3rver has learnt them and the addition in tests/servers/s3rver.js can go.
        Assert.False(await _driver.HonoursConditionalWritesAsync(Token));
    }

    public void Dispose() => _driver.Dispose();
}
