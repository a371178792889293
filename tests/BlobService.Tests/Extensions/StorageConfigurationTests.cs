using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Configuration;
using RegistryCloud.Storage;
using RegistryCloud.Storage.FileSystem;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Extensions;

/// <summary>The factories really run the storage they ask for; every other test depends on it.</summary>
public sealed class StorageConfigurationTests(InMemoryBlobService service) : IClassFixture<InMemoryBlobService>
{
    [Fact]
    public void The_inmemory_setting_selects_the_in_memory_driver_with_deletes_disabled()
    {
        // Timed by the instrumented driver (#7's storage action latencies) around the configured one.
        var timed = Assert.IsType<InstrumentedStorageDriver>(service.Services.GetRequiredService<IStorageDriver>());
        Assert.IsType<InMemoryStorageDriver>(timed.Inner);
        Assert.False(service.Services.GetRequiredService<RegistryStorageOptions>().DeleteEnabled);
    }

    [Fact]
    public async Task The_filesystem_setting_selects_the_filesystem_driver_at_the_given_root()
    {
        using var root = new TemporaryDirectory();
        await using var replica = new FileSystemBlobService(root.Path);

        var timed = Assert.IsType<InstrumentedStorageDriver>(replica.Services.GetRequiredService<IStorageDriver>());
        var driver = Assert.IsType<FileSystemStorageDriver>(timed.Inner);
        Assert.Equal(root.Path, driver.RootDirectory);
    }
}
