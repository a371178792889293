using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Lifecycle.Usage;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Tests;

/// <summary>
/// Storage used by walking <c>blobs/</c>: each blob's data once, however many repositories link
/// it, and nothing of uploads in progress, the same on the in-memory driver and on S3 (s3rver),
/// where folders exist only through their files.
/// </summary>
public sealed class StorageCountTests(S3rverServer server) : IClassFixture<S3rverServer>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_in_memory_store_counts_each_blob_once() =>
        await CountsEachBlobOnceAsync(new InMemoryStorageDriver());

    [Fact]
    public async Task Object_storage_counts_each_blob_once()
    {
        using var driver = server.NewDriver();
        await CountsEachBlobOnceAsync(driver);
    }

    private static async Task CountsEachBlobOnceAsync(IStorageDriver driver)
    {
        var layout = new RegistryLayout(driver);
        await layout.BlobAsync("team/app", "shared layer");
        await layout.BlobAsync("team/other", "shared layer");
        await layout.BlobAsync("team/app", "config of 23 bytes here");
        await driver.PutContentAsync(RegistryPaths.UploadData("team/app", Guid.NewGuid().ToString("D")), new byte[1000], Token);

        var counted = await StorageCount.CountAsync(driver, Pacer.FullSpeed, Token);

        Assert.Equal(new StoredBlobs(2, "shared layer".Length + "config of 23 bytes here".Length), counted);
    }
}
