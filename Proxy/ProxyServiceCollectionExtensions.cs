using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RegistryCloud.Configuration;

namespace RegistryCloud.Proxy;

public static class ProxyServiceCollectionExtensions
{
    /// <summary>
    /// The routes, the upstream client and the metrics (on <paramref name="meterName"/>). The
    /// client is built even with no upstream configured, so a service's handlers need no branch.
    /// </summary>
    public static IServiceCollection AddRegistryProxy(this IServiceCollection services, string meterName)
    {
        services.AddSingleton(provider => new ProxyRoutes(provider.GetRequiredService<RegistryConfiguration>()));
        services.AddSingleton(new UpstreamClientOptions());
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<UpstreamClientOptions>();
            return new UpstreamClient(
                UpstreamClient.CreateHandler(options), provider.GetService<TimeProvider>() ?? TimeProvider.System, provider.GetRequiredService<ILogger<UpstreamClient>>(), options);
        });
        services.AddSingleton(provider => new ProxyMetrics(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), meterName));
        return services;
    }
}
