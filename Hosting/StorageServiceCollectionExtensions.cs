using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RegistryCloud.Configuration;
using RegistryCloud.Storage;

namespace RegistryCloud.Hosting;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the configured storage driver (<see cref="StorageDrivers"/>) and its options as
    /// singletons. With <paramref name="meterName"/>, every action of the driver is timed on that Meter.
    /// </summary>
    public static IServiceCollection AddRegistryStorage(this IServiceCollection services, IConfiguration configuration, string? meterName = null)
    {
        var options = RegistryStorageOptions.From(services.AddRegistryConfiguration(configuration).Storage);
        services.AddSingleton(options);
        Func<IServiceProvider, IStorageDriver> create = provider =>
            StorageDrivers.Create(options, provider.GetService<ILoggerFactory>(), provider.GetService<TimeProvider>());
        if (meterName is null)
        {
            services.AddSingleton(create);
        }
        else
        {
            services.AddSingleton<IStorageDriver>(provider =>
                new InstrumentedStorageDriver(create(provider), provider.GetRequiredService<IMeterFactory>(), meterName));
        }

        return services;
    }
}
