using System.Text;
using RegistryCloud.Storage.Tests;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.Azure.Tests;

/// <summary>The shared storage-driver contract, against Azurite: every test on a container of its own.</summary>
public sealed class AzureStorageDriverTests : StorageDriverSuite, IClassFixture<AzuriteServer>
{
    private readonly AzuriteServer _azurite;
    private readonly AzureStorageDriver _driver;
    private readonly AzureStorageDriver _second;

    public AzureStorageDriverTests(AzuriteServer azurite)
    {
        _azurite = azurite;
        var options = azurite.NewOptions();
        _driver = new AzureStorageDriver(options);
        _second = new AzureStorageDriver(options);
    }

    protected override IStorageDriver Driver => _driver;

    /// <summary>Another driver on the same container, as another replica has.</summary>
    protected override IStorageDriver SecondDriver => _second;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void The_azure_driver_has_no_local_files()
    {
        Assert.Null(_driver.GetLocalFilePath("/any/path"));
    }

    [Fact]
    public async Task Files_are_blobs_named_by_the_root_directory_and_the_path_without_its_slash()
    {
        var options = _azurite.NewOptions() with { RootDirectory = "/registry/root/" };
        var driver = new AzureStorageDriver(options);
        await driver.PutContentAsync("/docker/registry/v2/blobs/x/data", Encoding.UTF8.GetBytes("bytes"), Token);

        var names = new List<string>();
        await foreach (var blob in driver.Container.GetBlobsAsync(cancellationToken: Token))
        {
            names.Add(blob.Name);
        }

        Assert.Equal(["registry/root/docker/registry/v2/blobs/x/data"], names);
        Assert.Equal(["/docker"], await driver.ListAsync("/", Token));
    }
}
