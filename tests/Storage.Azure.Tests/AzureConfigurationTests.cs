using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Hosting;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.Azure.Tests;

/// <summary>Distribution's variables alone pick the Azure driver and point it at the emulator.</summary>
public sealed class AzureConfigurationTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registry_storage_variables_give_services_a_working_azure_driver()
    {
        var container = AzuriteServer.NewContainerName();
        var settings = new Dictionary<string, string?>
        {
            ["REGISTRY_STORAGE"] = "azure",
            ["REGISTRY_STORAGE_AZURE_ACCOUNTNAME"] = AzuriteServer.AccountName,
            ["REGISTRY_STORAGE_AZURE_ACCOUNTKEY"] = AzuriteServer.AccountKey,
            ["REGISTRY_STORAGE_AZURE_SERVICEURL"] = azurite.ServiceUrl.ToString(),
            ["REGISTRY_STORAGE_AZURE_CONTAINER"] = container,
            ["REGISTRY_STORAGE_AZURE_ROOTDIRECTORY"] = "/registry",
        };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRegistryStorage(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        await using var provider = services.BuildServiceProvider();

        var driver = provider.GetRequiredService<IStorageDriver>();
        await driver.PutContentAsync("/docker/registry/v2/blobs/x/data", "bytes"u8.ToArray(), Token);

        Assert.Equal("azure", driver.Name);
        var stored = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container).GetBlobClient("registry/docker/registry/v2/blobs/x/data");
        Assert.Equal("bytes", (await stored.DownloadContentAsync(Token)).Value.Content.ToString());
    }

    [Fact]
    public async Task What_the_service_refuses_surfaces_as_an_IOException_naming_the_path()
    {
        var driver = new AzureStorageDriver(azurite.NewOptions() with { AccountKey = Convert.ToBase64String(new byte[64]) });

        var refused = await Assert.ThrowsAsync<IOException>(() => driver.PutContentAsync("/some/file", "x"u8.ToArray(), Token));

        Assert.Contains("'/some/file': 403", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IOException>(() => driver.StatAsync("/some/file", Token));
    }
}
