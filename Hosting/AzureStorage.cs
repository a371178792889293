using RegistryCloud.Configuration;
using RegistryCloud.Storage.Azure;

namespace RegistryCloud.Hosting;

/// <summary>The Azure driver as <c>storage.azure</c> configures it.</summary>
internal static class AzureStorage
{
    public static AzureStorageDriver CreateDriver(AzureStorageConfiguration azure) => new(Options(azure));

    public static AzureStorageDriverOptions Options(AzureStorageConfiguration azure)
    {
        ArgumentNullException.ThrowIfNull(azure);
        var options = new AzureStorageDriverOptions
        {
            Container = azure.Container,
            AccountName = azure.AccountName,
            Realm = azure.Realm,
            ServiceUrl = azure.ServiceUrl is { } url ? new Uri(url) : null,
            RootDirectory = azure.RootDirectory,
            ChunkSize = checked((int)azure.ChunkSize),
        };
        return azure.CredentialsType switch
        {
            AzureCredentialsType.ConnectionString => options with { ConnectionString = azure.ConnectionString },
            AzureCredentialsType.SharedKey => options with { AccountKey = azure.AccountKey },
            AzureCredentialsType.ClientSecret => options with { TenantId = azure.TenantId, ClientId = azure.ClientId, ClientSecret = azure.Secret },
            _ => options with { ClientId = azure.ClientId },
        };
    }
}
