using System.Net;
using System.Net.Http.Headers;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary>
/// BlobService replicas on one S3 bucket (s3rver, with the conditional writes AWS S3 has, so the
/// upload locks hold across them): a session begun on one continues on another past S3's part
/// size, and the blob streams back with Content-Length and Range answers (redirects off), or a
/// GET is sent to the bucket by a presigned URL that serves the same bytes (redirects on, the default).
/// </summary>
public sealed class S3ReplicaUploadTests(S3rverWithAwsFeatures server) : IClassFixture<S3rverWithAwsFeatures>
{
    private const int MiB = 1024 * 1024;

    private readonly Dictionary<string, string> _settings = new()
    {
        ["REGISTRY_STORAGE"] = "s3",
        ["REGISTRY_STORAGE_S3_BUCKET"] = S3rverServer.Bucket,
        ["REGISTRY_STORAGE_S3_REGIONENDPOINT"] = server.Endpoint,
        ["REGISTRY_STORAGE_S3_FORCEPATHSTYLE"] = "true",
        ["REGISTRY_STORAGE_S3_SECURE"] = "false",
        ["REGISTRY_STORAGE_S3_ACCESSKEY"] = server.NewOptions().AccessKey!,
        ["REGISTRY_STORAGE_S3_SECRETKEY"] = server.NewOptions().SecretKey!,
        ["REGISTRY_STORAGE_S3_CHECKSUMS"] = "whenrequired",
        ["REGISTRY_STORAGE_S3_CHUNKSIZE"] = (5 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["REGISTRY_STORAGE_S3_ROOTDIRECTORY"] = "/blobservice/" + Guid.NewGuid().ToString("N"),
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_GET_redirects_to_a_presigned_URL_of_the_bucket_that_serves_the_blob_and_a_HEAD_does_not()
    {
        await using var service = new BlobServiceFactory(_settings);
        using var client = service.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(300_000);
        var digest = await client.PushBlobAsync(repository, content);

        using var get = await client.GetAsync($"/v2/{repository}/blobs/{digest}", Token);
        using var head = await client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, get.StatusCode);
        var url = get.Headers.Location!;
        Assert.StartsWith(server.Endpoint, url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
        using var storage = new HttpClient();
        Assert.Equal(content, await storage.GetByteArrayAsync(url, Token));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(content.Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_chunked_upload_larger_than_a_part_continues_on_another_replica_and_streams_back_with_ranges()
    {
        // storage.redirect.disable: the bytes come back through BlobService.
        var settings = new Dictionary<string, string>(_settings) { ["REGISTRY_STORAGE_REDIRECT_DISABLE"] = "true" };
        await using var first = new BlobServiceFactory(settings);
        await using var second = new BlobServiceFactory(settings);
        using var one = first.CreateRegistryClient();
        using var two = second.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(7 * MiB + 123);
        var digest = TestContent.DigestOf(content);

        var location = await one.StartUploadAsync(repository);
        using (var chunk = await one.PatchChunkAsync(location, content[..(6 * MiB)], 0))
        {
            await OciAssert.StatusAsync(chunk, HttpStatusCode.Accepted);
        }

        using (var chunk = await two.PatchChunkAsync(location, content[(6 * MiB)..(6 * MiB + 500_000)], 6 * MiB))
        {
            await OciAssert.StatusAsync(chunk, HttpStatusCode.Accepted);
            Assert.Equal($"0-{6 * MiB + 500_000 - 1}", chunk.Header("Range"));
        }

        using (var put = await one.PutAsync(RegistryHttp.WithDigest(location, digest), RegistryHttp.Octets(content[(6 * MiB + 500_000)..]), Token))
        {
            await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        }

        using var whole = await two.GetAsync($"/v2/{repository}/blobs/{digest}", Token);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(content.Length, whole.Content.Headers.ContentLength);
        Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync(Token));

        using var part = await one.GetAsync($"/v2/{repository}/blobs/{digest}", request => request.Headers.Range = new RangeHeaderValue(6 * MiB, 6 * MiB + 99));
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(content[(6 * MiB)..(6 * MiB + 100)], await part.Content.ReadAsByteArrayAsync(Token));
    }
}
