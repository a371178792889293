using RegistryCloud.Hosting;

namespace RegistryCloud.Configuration.Tests.Hosting;

/// <summary><c>storage.azure</c> becomes the Azure driver's options, one way to authenticate at a time.</summary>
public sealed class AzureStorageTests
{
    [Fact]
    public void Each_kind_of_credentials_reaches_the_driver_alone()
    {
        var common = new AzureStorageConfiguration { Container = "registry", AccountName = "acme", RootDirectory = "/r", ChunkSize = 1 << 20 };

        var shared = AzureStorage.Options(common with { CredentialsType = AzureCredentialsType.SharedKey, AccountKey = "a2V5" });
        var secret = AzureStorage.Options(common with { CredentialsType = AzureCredentialsType.ClientSecret, TenantId = "t", ClientId = "c", Secret = "s" });
        var identity = AzureStorage.Options(common with { ClientId = "mi" });

        Assert.Equal(("a2V5", null, null), (shared.AccountKey, shared.ClientSecret, shared.ConnectionString));
        Assert.Equal((null, "t", "c", "s"), (secret.AccountKey, secret.TenantId, secret.ClientId, secret.ClientSecret));
        Assert.Equal((null, null, "mi"), (identity.AccountKey, identity.ClientSecret, identity.ClientId));
        Assert.Equal(new Uri("https://acme.blob.core.windows.net"), identity.BlobEndpoint);
        Assert.Equal(("registry", "/r", 1 << 20), (shared.Container, shared.RootDirectory, shared.ChunkSize));
    }
}
