using Microsoft.Extensions.DependencyInjection;

namespace RegistryCloud.AppHost.Resources;

/// <summary>Where the services send their telemetry when the AppHost runs them.</summary>
internal static class TelemetryResources
{
    /// <summary>Aspire's name for the dashboard resource it adds when the dashboard is on.</summary>
    public const string DashboardResourceName = "aspire-dashboard";

    /// <summary>Read by ServiceDefaults: with it a service exports traces, metrics and logs over OTLP.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Aspire gives every project the dashboard's OTLP address whether or not a dashboard runs.
    /// Without one (<c>RegistryCloud:Dashboard=false</c>, or a test host that turns it off) every
    /// service exported its spans and logs, and its metrics every second, to a port nobody
    /// listened on, and retried them in memory. This drops the address when the model has no
    /// dashboard, so the services export nothing, as in a deployment without a collector.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTelemetryOnlyToADashboard(this IResourceBuilder<ProjectResource> project) =>
        project.WithEnvironment(context =>
        {
            var model = context.ExecutionContext.Services.GetRequiredService<DistributedApplicationModel>();
            if (!model.Resources.Any(resource => resource.Name == DashboardResourceName))
            {
                context.EnvironmentVariables.Remove(OtlpEndpointVariable);
            }
        });

    /// <summary>
    /// The AppHost's builder arguments: the operator's, plus no reload of configuration on change.
    /// The host would otherwise watch its content root (the working directory) recursively for
    /// <c>appsettings.json</c> edits, and the registry's data directory is usually below it
    /// (<c>.registry-data/</c> at the repository root): one inotify watch per directory of the
    /// storage and a directory scan each time the registry made one, CPU that grew with the
    /// registry's size (docs/performance.md, "Measured design choices").
    /// </summary>
    public static string[] BuilderArguments(string[] args) => [.. args, "--hostBuilder:reloadConfigOnChange=false"];
}
