using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Configuration;
using RegistryCloud.Storage;
using RegistryCloud.Storage.FileSystem;

namespace RegistryCloud.Hosting;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the configured storage driver and its options as singletons. With
    /// <paramref name="meterName"/>, every action of the driver is timed on that Meter.
    /// </summary>
    public static IServiceCollection AddRegistryStorage(this IServiceCollection services, IConfiguration configuration, string? meterName = null)
    {
        var options = RegistryStorageOptions.From(services.AddRegistryConfiguration(configuration).Storage);
        services.AddSingleton(options);
        IStorageDriver driver = options.Driver switch
        {
            StorageConfiguration.InMemoryDriver => new InMemoryStorageDriver(),
            StorageConfiguration.AzureDriver => AzureStorage.CreateDriver(options.Azure!),
            _ => new FileSystemStorageDriver(options.RootDirectory, options.DirectIo),
        };
        if (meterName is null)
        {
            services.AddSingleton(driver);
        }
        else
        {
            services.AddSingleton<IStorageDriver>(provider =>
                new InstrumentedStorageDriver(driver, provider.GetRequiredService<IMeterFactory>(), meterName));
        }

        return services;
    }
}
