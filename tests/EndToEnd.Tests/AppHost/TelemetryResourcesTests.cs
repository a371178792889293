using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.AppHost.Resources;

namespace RegistryCloud.EndToEnd.Tests.AppHost;

/// <summary>What the AppHost does about telemetry and configuration files, checked on the app model without starting it.</summary>
public sealed class TelemetryResourcesTests
{
    [Fact]
    public async Task Without_a_dashboard_a_service_gets_no_OTLP_endpoint()
    {
        var environment = await RunCallbackAsync(dashboard: false);

        Assert.False(environment.ContainsKey(TelemetryResources.OtlpEndpointVariable));
        Assert.Equal("gateway", environment["OTEL_SERVICE_NAME"]);
    }

    [Fact]
    public async Task With_a_dashboard_a_service_keeps_its_OTLP_endpoint()
    {
        var environment = await RunCallbackAsync(dashboard: true);

        Assert.Equal("http://127.0.0.1:4317", environment[TelemetryResources.OtlpEndpointVariable]);
    }

    [Fact]
    public void The_AppHost_builder_does_not_watch_its_configuration_files()
    {
        using var watching = (IDisposable)DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = [], DisableDashboard = true }).Configuration;
        using var quiet = (IDisposable)DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = TelemetryResources.BuilderArguments(["--x=1"]), DisableDashboard = true }).Configuration;

        // The default reloads appsettings.json on change; the control shows the test can see it.
        Assert.Contains(FileSources((IConfigurationRoot)watching), source => source.ReloadOnChange);
        Assert.NotEmpty(FileSources((IConfigurationRoot)quiet));
        Assert.DoesNotContain(FileSources((IConfigurationRoot)quiet), source => source.ReloadOnChange);
        Assert.Equal("1", ((IConfiguration)quiet)["x"]);
    }

    private static IEnumerable<FileConfigurationSource> FileSources(IConfigurationRoot configuration) =>
        configuration.Providers.OfType<FileConfigurationProvider>().Select(provider => provider.Source);

    // Runs the annotation WithTelemetryOnlyToADashboard adds, on the variables Aspire would have set.
    private static async Task<Dictionary<string, object>> RunCallbackAsync(bool dashboard)
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = [], DisableDashboard = true });
        var project = builder.AddResource(new ProjectResource("gateway")).WithTelemetryOnlyToADashboard().Resource;
        if (dashboard)
        {
            builder.AddExecutable(TelemetryResources.DashboardResourceName, "dashboard", ".");
        }

        using var services = new ServiceCollection().AddSingleton(new DistributedApplicationModel(builder.Resources)).BuildServiceProvider();
        var execution = new DistributedApplicationExecutionContext(
            new DistributedApplicationExecutionContextOptions(DistributedApplicationOperation.Run) { Services = services });
        var environment = new Dictionary<string, object>
        {
            [TelemetryResources.OtlpEndpointVariable] = "http://127.0.0.1:4317",
            ["OTEL_SERVICE_NAME"] = "gateway",
        };
        foreach (var annotation in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await annotation.Callback(new EnvironmentCallbackContext(execution, environment, TestContext.Current.CancellationToken));
        }

        return environment;
    }
}
