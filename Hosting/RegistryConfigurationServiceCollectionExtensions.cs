using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RegistryCloud.Configuration;
using RegistryCloud.Hosting.Health;

namespace RegistryCloud.Hosting;

public static partial class RegistryConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Loads the registry configuration once per service: the file <c>REGISTRY_CONFIGURATION_PATH</c>
    /// names (or Distribution's defaults) with the <c>REGISTRY_*</c> overrides of the host's
    /// configuration. Registers it as a singleton and logs its source and warnings at start-up;
    /// an invalid setting throws here, with the key in the message.
    /// </summary>
    public static RegistryConfiguration AddRegistryConfiguration(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(RegistryConfigurationLoadResult) && descriptor.ImplementationInstance is RegistryConfigurationLoadResult loaded)
            {
                return loaded.Configuration;
            }
        }

        var result = RegistryConfigurationLoader.Load(null, RegistryConfigurationLoader.RegistryVariables(configuration));
        services.AddSingleton(result);
        services.AddSingleton(result.Configuration);
        services.AddRegistryLogging(result.Configuration.Log);
        services.AddRegistryHealthChecks(result.Configuration);
        // http.draintimeout: how long in-flight requests (uploads above all) get to finish on shutdown.
        if (result.Configuration.Http.DrainTimeout > TimeSpan.Zero)
        {
            services.Configure<HostOptions>(options => options.ShutdownTimeout = result.Configuration.Http.DrainTimeout);
        }

        services.AddHostedService<Reporter>();
        return result.Configuration;
    }

    private sealed partial class Reporter(RegistryConfigurationLoadResult result, ILogger<RegistryConfigurationLoadResult> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogSource(logger, result.SourcePath ?? "built-in defaults");
            foreach (var warning in result.Warnings)
            {
                LogWarning(logger, warning);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Registry configuration from {Source}")]
        private static partial void LogSource(ILogger logger, string source);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Registry configuration: {Warning}")]
        private static partial void LogWarning(ILogger logger, string warning);
    }
}
