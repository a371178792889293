using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RegistryCloud.Configuration;
using RegistryCloud.Storage;

namespace RegistryCloud.Hosting.Health;

public static class RegistryHealthServiceCollectionExtensions
{
    /// <summary>
    /// Tags of the configured checks. They carry no <c>live</c> tag, so they count in the readiness
    /// endpoint <c>/health</c> and in <c>/debug/health</c> but never in <c>/alive</c>: a broken
    /// storage root takes an instance out of rotation without getting it restarted.
    /// </summary>
    public static readonly string[] Tags = ["registry", "ready"];

    /// <summary>
    /// Registers the checks of <c>health</c> with ASP.NET Core's health checks and the monitor that
    /// runs them. The storage driver check is added only when the service registers an
    /// <see cref="IStorageDriver"/> — whatever the order of the two registrations.
    /// </summary>
    public static IServiceCollection AddRegistryHealthChecks(this IServiceCollection services, RegistryConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var health = configuration.Health;
        if (!health.StorageDriver.Enabled && health.File.Count == 0 && health.Http.Count == 0 && health.Tcp.Count == 0)
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new RegistryHealthChecks(
            configuration, provider.GetService<IStorageDriver>(), provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<RegistryHealthMonitor>();
        services.AddHealthChecks();
        services.AddOptions<HealthCheckServiceOptions>().Configure<IServiceProviderIsService>((options, isService) =>
        {
            foreach (var name in RegistryHealthChecks.ConfiguredNames(configuration, isService.IsService(typeof(IStorageDriver))))
            {
                options.Registrations.Add(new HealthCheckRegistration(
                    name,
                    provider => provider.GetRequiredService<RegistryHealthChecks>().Find(name)
                        ?? throw new InvalidOperationException($"health check {name} was registered but not built"),
                    HealthStatus.Unhealthy,
                    Tags));
            }
        });
        return services;
    }
}
