using System.Net;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RegistryCloud.Core.Configuration;

namespace RegistryCloud.Gateway.Extensions;

/// <summary>
/// <c>http.debug.addr</c>: a second, plain-HTTP listener (Distribution's debug server; the seed
/// puts it on <c>localhost:5001</c>) answering <c>/metrics</c> in Prometheus format and
/// <c>/debug/health</c>. Neither path answers on the registry's own listener.
/// </summary>
internal static class DebugListener
{
    public static void AddDebugListener(this WebApplicationBuilder builder, HttpConfiguration http)
    {
        if (http.Debug is not { } debug)
        {
            return;
        }

        if (!HostPort.TryParse(debug.Addr, out var address, out var problem))
        {
            throw new RegistryConfigurationException($"http.debug.addr: {problem}");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (string.IsNullOrEmpty(address.Host) || address.Host is "localhost")
            {
                kestrel.ListenLocalhost(address.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(address.Host), address.Port);
            }
        });
        builder.Services.AddSingleton<DebugMetrics>();
        builder.Services.AddHttpClient(DebugMetrics.HttpClientName);
    }

    public static void MapDebugEndpoints(this WebApplication app, HttpConfiguration http)
    {
        if (http.Debug is not { } debug || !HostPort.TryParse(debug.Addr, out var address, out _))
        {
            return;
        }

        var host = $"*:{address.Port}";
        app.MapPrometheusScrapingEndpoint(
                debug.PrometheusPath,
                meterProvider: null,
                configureBranchedPipeline: pipeline => pipeline.Use(
                    (context, next) => context.RequestServices.GetRequiredService<DebugMetrics>().InvokeAsync(context, next)),
                optionsName: null)
            .RequireHost(host);
        app.MapHealthChecks("/debug/health", new HealthCheckOptions { ResponseWriter = WriteFailingChecksAsync }).RequireHost(host);
    }

    /// <summary>
    /// Distribution's body for <c>/debug/health</c>: a JSON object of the failing checks, name to
    /// error (<c>{}</c> when all pass), with 503 while any fails.
    /// </summary>
    internal static Task WriteFailingChecksAsync(HttpContext context, HealthReport report)
    {
        var failing = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, entry) in report.Entries)
        {
            if (entry.Status == HealthStatus.Unhealthy)
            {
                failing[name] = entry.Description ?? entry.Exception?.Message ?? "unhealthy";
            }
        }

        return context.Response.WriteAsJsonAsync(failing, context.RequestAborted);
    }
}
