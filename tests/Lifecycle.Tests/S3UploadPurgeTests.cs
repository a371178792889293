using Amazon.S3;
using Amazon.S3.Model;
using RegistryCloud.Lifecycle.Uploads;
using RegistryCloud.Storage;
using RegistryCloud.Storage.S3;

namespace RegistryCloud.Lifecycle.Tests;

/// <summary>
/// Upload purging on S3 (s3rver with the listing and abort of multipart uploads AWS has): an
/// abandoned session's unfinished data is an open multipart upload, whose parts no listing of the
/// bucket's objects shows, so the purge must abort it or the storage leaks invisibly.
/// </summary>
public sealed class S3UploadPurgeTests(S3rverWithAwsFeatures server) : IClassFixture<S3rverWithAwsFeatures>
{
    private const string Repository = "team/app";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Purging_an_abandoned_upload_session_aborts_the_multipart_upload_of_its_data()
    {
        var options = server.NewOptions();
        using var driver = server.NewDriver(options);
        using var client = S3ClientFactory.Create(options);
        var id = Guid.NewGuid().ToString("D");
        await driver.PutContentAsync(RegistryPaths.UploadStartedAt(Repository, id), "2020-01-01T00:00:00Z"u8.ToArray(), Token);
        var writer = await driver.OpenWriterAsync(RegistryPaths.UploadData(Repository, id), append: false, Token);
        await using (writer)
        {
            // Past the 5 MiB chunk: a part has gone up.
            await writer.WriteAsync(new byte[6 * 1024 * 1024], Token);
            await writer.CommitAsync(Token);
        }

        Assert.Single(await UploadsAsync(client, options));

        var result = await UploadPurge.PurgeAsync(driver, Repository, DateTimeOffset.UtcNow.AddDays(-1), dryRun: false, emit: null, Token);

        Assert.Equal(1, result.Purged);
        Assert.Empty(await UploadsAsync(client, options));
        Assert.Null(await driver.StatAsync(RegistryPaths.UploadDirectory(Repository, id), Token));
    }

    private static async Task<List<string>> UploadsAsync(IAmazonS3 client, S3StorageOptions options)
    {
        var uploads = await client.ListMultipartUploadsAsync(
            new ListMultipartUploadsRequest { BucketName = S3rverServer.Bucket, Prefix = options.RootDirectory.Trim('/') + "/" }, Token);
        return [.. (uploads.MultipartUploads ?? []).Select(upload => upload.Key)];
    }
}
