using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.Azure.Tests;

internal static class AzuriteOptions
{
    /// <summary>Options for a driver on the emulator, on a container no other test uses.</summary>
    public static AzureStorageDriverOptions NewOptions(this AzuriteServer azurite, int chunkSize = AzureStorageDriverOptions.MinimumChunkSize) => new()
    {
        Container = AzuriteServer.NewContainerName(),
        AccountName = AzuriteServer.AccountName,
        AccountKey = AzuriteServer.AccountKey,
        ServiceUrl = azurite.ServiceUrl,
        ChunkSize = chunkSize,
    };
}
