using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Core.Configuration;

namespace RegistryCloud.Core.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the configured storage driver and its options as singletons.</summary>
    public static IServiceCollection AddRegistryStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = RegistryStorageOptions.From(services.AddRegistryConfiguration(configuration).Storage);
        services.AddSingleton(options);
        services.AddSingleton<IStorageDriver>(options.Driver == "inmemory"
            ? new InMemoryStorageDriver()
            : new FileSystemStorageDriver(options.RootDirectory));
        return services;
    }
}
