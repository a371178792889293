using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Storage;
using RegistryCloud.Storage.S3;

namespace RegistryCloud.Hosting.Tests;

/// <summary><c>storage.s3</c> (here from REGISTRY_STORAGE_S3_* variables) gives the services the s3 driver.</summary>
public sealed class S3StorageSelectionTests
{
    [Fact]
    public async Task The_s3_setting_selects_the_s3_driver_with_its_bucket_endpoint_and_root()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["REGISTRY_STORAGE"] = "s3",
            ["REGISTRY_STORAGE_S3_BUCKET"] = "images",
            ["REGISTRY_STORAGE_S3_REGIONENDPOINT"] = "http://127.0.0.1:9",
            ["REGISTRY_STORAGE_S3_FORCEPATHSTYLE"] = "true",
            ["REGISTRY_STORAGE_S3_SECURE"] = "false",
            ["REGISTRY_STORAGE_S3_ROOTDIRECTORY"] = "/registry",
            ["REGISTRY_STORAGE_S3_ACCESSKEY"] = "test-access",
            ["REGISTRY_STORAGE_S3_SECRETKEY"] = "test-secret",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRegistryStorage(configuration);

        await using var provider = services.BuildServiceProvider();
        var driver = Assert.IsType<S3StorageDriver>(provider.GetRequiredService<IStorageDriver>());
        var url = await driver.GetDownloadUrlAsync("/docker/registry/v2/blobs/x/data", TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal("s3", driver.Name);
        Assert.NotNull(url);
        Assert.Equal("http://127.0.0.1:9/images/registry/docker/registry/v2/blobs/x/data", url.GetLeftPart(UriPartial.Path));
    }
}
