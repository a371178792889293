using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RegistryCloud.Configuration;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Hosting.Tests.Health;

/// <summary>
/// The configured checks as a service wires them: AddRegistryConfiguration, the storage driver,
/// ServiceDefaults' <c>/health</c> and <c>/alive</c>, served by Kestrel on 127.0.0.1.
/// </summary>
public sealed class HealthEndpointTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string Root => Path.Combine(_directory.Path, "root");

    [Fact]
    public async Task A_storage_root_that_stops_taking_writes_flips_health_to_503_and_back_while_alive_stays_200()
    {
        await using var app = await StartAsync(withStorage: true);
        using var client = new HttpClient { BaseAddress = Address(app) };
        await client.WaitForStatusAsync("/health", HttpStatusCode.OK);

        // Tests run as root, where chmod cannot make a directory unwritable; a file in its place can.
        // The running health probe may make the folder again between the delete and the write.
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    if (Directory.Exists(Root))
                    {
                        Directory.Delete(Root, recursive: true);
                    }

                    await File.WriteAllTextAsync(Root, "not a directory", Token);
                    return true;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return false;
                }
            },
            "the storage root could not be replaced by a file");
        await client.WaitForStatusAsync("/health", HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive", Token)).StatusCode);

        File.Delete(Root);
        Directory.CreateDirectory(Root);
        await client.WaitForStatusAsync("/health", HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_configured_file_check_takes_the_service_out_of_rotation_while_the_file_exists()
    {
        await using var app = await StartAsync(withStorage: false);
        using var client = new HttpClient { BaseAddress = Address(app) };
        await client.WaitForStatusAsync("/health", HttpStatusCode.OK);

        await File.WriteAllTextAsync(DownFile, "drain", Token);
        await client.WaitForStatusAsync("/health", HttpStatusCode.ServiceUnavailable);

        File.Delete(DownFile);
        await client.WaitForStatusAsync("/health", HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Only_a_service_with_a_storage_driver_gets_the_storage_driver_check(bool withStorage)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var configuration = Settings();
        services.AddRegistryConfiguration(configuration);
        if (withStorage)
        {
            services.AddRegistryStorage(configuration);
        }

        using var provider = services.BuildServiceProvider();
        var registrations = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;

        Assert.Equal(withStorage, registrations.Any(r => r.Name == "storagedriver_filesystem"));
        Assert.Contains(registrations, r => r.Name == DownFile && r.Tags.Contains("ready") && !r.Tags.Contains("live"));
    }

    public void Dispose() => _directory.Dispose();

    private string DownFile => Path.Combine(_directory.Path, "down");

    private IConfiguration Settings()
    {
        var path = Path.Combine(_directory.Path, "config.yml");
        File.WriteAllText(path, $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {Root}
            health:
              storagedriver:
                enabled: true
                interval: 50ms
                threshold: 2
              file:
                - file: {DownFile}
                  interval: 50ms
            """);
        return new ConfigurationBuilder()
            .AddInMemoryCollection([new(RegistryConfigurationLoader.ConfigurationPathVariable, path)])
            .Build();
    }

    private async Task<WebApplication> StartAsync(bool withStorage)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddConfiguration(Settings());
        builder.AddServiceDefaults();
        builder.Services.AddRegistryConfiguration(builder.Configuration);
        if (withStorage)
        {
            builder.Services.AddRegistryStorage(builder.Configuration);
        }

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(Token);
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
