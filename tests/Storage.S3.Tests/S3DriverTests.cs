using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using RegistryCloud.Storage.S3.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

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
    public async Task A_read_stream_knows_the_object_s_length_and_seeks_by_asking_for_a_new_range()
    {
        // What ASP.NET's range processing needs of a stream to answer Range requests and set
        // Content-Length when blobs are streamed rather than redirected.
        var content = TestBytes.Slice(5, 0, 10_000);
        await _driver.PutContentAsync("/blobs/data", content, Token);

        var stream = await _driver.OpenReadAsync("/blobs/data", 100, Token);

        Assert.NotNull(stream);
        await using (stream)
        {
            Assert.True(stream.CanSeek);
            Assert.Equal(10_000, stream.Length);
            Assert.Equal(100, stream.Position);
            var buffer = new byte[50];
            await stream.ReadExactlyAsync(buffer, Token);
            Assert.Equal(content[100..150], buffer);

            stream.Position = 9_990;
            Assert.Equal(content[9_990..], await ReadToEndAsync(stream));
            stream.Seek(0, SeekOrigin.Begin);
            Assert.Equal(content, await ReadToEndAsync(stream));
        }
    }

    [Fact]
    public async Task A_file_is_read_with_a_range_from_its_first_byte_as_Distribution_reads_it()
    {
        // Without a Range the SDK checks the whole body against a single-part object's ETag with its
        // managed MD5, which was most of BlobService's CPU when it streamed a blob (docs/performance.md).
        var content = TestBytes.Slice(7, 0, 10_000);
        await _driver.PutContentAsync("/blobs/data", content, Token);
        var ranges = new List<string?>();
        var client = (AmazonS3Client)_driver.Client;
        RequestEventHandler record = (_, e) =>
        {
            if (e is WebServiceRequestEventArgs { Request: GetObjectRequest } request)
            {
                ranges.Add(request.Headers.TryGetValue("Range", out var range) ? range : null);
            }
        };
        client.BeforeRequestEvent += record;
        try
        {
            var stream = await _driver.OpenReadAsync("/blobs/data", 0, Token);

            Assert.NotNull(stream);
            await using (stream)
            {
                Assert.Equal(content, await ReadToEndAsync(stream));
            }
        }
        finally
        {
            client.BeforeRequestEvent -= record;
        }

        Assert.Equal(["bytes=0-"], ranges);
    }

    [Fact]
    public async Task With_the_SDK_s_default_flexible_checksums_puts_multipart_uploads_reads_and_deletes_work_too()
    {
        // checksums: whensupported, AWS's setting. The driver sends checksums as plain headers
        // (never aws-chunked trailers), which servers that do not know them ignore.
        using var driver = server.NewDriver(server.NewOptions() with { ChecksumsWhenRequired = false });
        await driver.PutContentAsync("/c/file", TestBytes.Slice(1, 0, 1000), Token);
        Assert.Equal(TestBytes.Slice(1, 0, 1000), await driver.GetContentAsync("/c/file", Token));
        var writer = await driver.OpenWriterAsync("/c/big", append: false, Token);
        await using (writer)
        {
            await writer.WriteAsync(TestBytes.Slice(1, 0, 6 * 1024 * 1024), Token);
            await writer.CommitAsync(Token);
        }

        Assert.Equal(6 * 1024 * 1024, (await driver.StatAsync("/c/big", Token))?.Size);
        Assert.True(await driver.DeleteAsync("/c", Token));
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

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Token);
        return copy.ToArray();
    }
}
