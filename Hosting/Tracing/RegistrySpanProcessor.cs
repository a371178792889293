using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace RegistryCloud.Hosting.Tracing;

/// <summary>Applies <see cref="RegistrySpans"/> to every span as it ends, before any exporter sees it.</summary>
internal sealed class RegistrySpanProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data) => RegistrySpans.Describe(data);
}

public static class RegistryTracingServiceCollectionExtensions
{
    /// <summary>
    /// Names the service's registry API spans for their operation (<see cref="RegistrySpans"/>).
    /// Registered as a <see cref="BaseProcessor{T}"/>, which ServiceDefaults runs ahead of the exporters.
    /// </summary>
    public static IServiceCollection AddRegistrySpans(this IServiceCollection services)
    {
        services.AddSingleton<BaseProcessor<Activity>, RegistrySpanProcessor>();
        return services;
    }
}
