using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway in process. Settings arrive as the host's configuration, where the registry
/// configuration loader reads its <c>REGISTRY_*</c> variables and YARP its <c>ReverseProxy</c>
/// section; <paramref name="configureServices"/> runs after the gateway's own registrations.
/// </summary>
internal sealed class GatewayFactory(
    IReadOnlyDictionary<string, string> settings,
    LogCapture? logs = null,
    Action<IServiceCollection>? configureServices = null) : WebApplicationFactory<Program>
{
    public HttpClient CreateRegistryClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            // One access-log line per request would bury the test output; problems still show.
            logging.AddFilter<ConsoleLoggerProvider>(level => level >= LogLevel.Warning);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });

        if (configureServices is not null)
        {
            builder.ConfigureServices(configureServices);
        }
    }
}

/// <summary>Setting names the tests use.</summary>
internal static class GatewaySettings
{
    public const string BlobsAddress = "ReverseProxy:Clusters:blobs:Destinations:blobservice:Address";
    public const string ManifestsAddress = "ReverseProxy:Clusters:manifests:Destinations:manifestservice:Address";
    public const string HtpasswdRealm = "REGISTRY_AUTH_HTPASSWD_REALM";
    public const string HtpasswdPath = "REGISTRY_AUTH_HTPASSWD_PATH";
    public const string ConfigurationPath = "REGISTRY_CONFIGURATION_PATH";

    /// <summary>Both clusters pointed at the given addresses instead of service discovery names.</summary>
    public static Dictionary<string, string> ProxyTo(string blobs, string manifests) => new(StringComparer.Ordinal)
    {
        [BlobsAddress] = blobs,
        [ManifestsAddress] = manifests,
    };
}
