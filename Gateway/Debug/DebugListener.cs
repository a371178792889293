using System.Net;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RegistryCloud.Configuration;

namespace RegistryCloud.Gateway.Debug;

/// <summary>
/// <c>http.debug.addr</c>: a second, plain-HTTP listener (Distribution's debug server; the seed
/// puts it on <c>localhost:5001</c>) answering <c>/metrics</c> in Prometheus format and
/// <c>/debug/health</c>, and nothing else. Neither path answers on the registry's own listener.
/// Which listener a request came through is told by the connection, marked as the debug
/// listener accepts it, never by the Host header: a client can send any Host to any port.
/// </summary>
internal static class DebugListener
{
    private const string HealthPath = "/debug/health";

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
                kestrel.ListenLocalhost(address.Port, MarkConnections);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(address.Host), address.Port, MarkConnections);
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

        app.MapPrometheusScrapingEndpoint(
                debug.PrometheusPath,
                meterProvider: null,
                configureBranchedPipeline: pipeline => pipeline.Use(
                    (context, next) => context.RequestServices.GetRequiredService<DebugMetrics>().InvokeAsync(context, next)),
                optionsName: null)
            .WithMetadata(DebugEndpoint.Instance);
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = WriteFailingChecksAsync }).WithMetadata(DebugEndpoint.Instance);
    }

    /// <summary>
    /// Before the registry's own middleware (rate limits, authentication): a request on the debug
    /// listener for anything but a debug path answers 404, so that listener — plain HTTP, and
    /// outside any client-certificate requirement of the registry's — is no second door to the API.
    /// </summary>
    public static IApplicationBuilder UseDebugListener(this IApplicationBuilder app, HttpConfiguration http)
    {
        if (http.Debug is not { } debug)
        {
            return app;
        }

        string[] paths = [debug.PrometheusPath.TrimEnd('/'), HealthPath];
        return app.Use((context, next) =>
        {
            if (IsDebugConnection(context) && !paths.Contains((context.Request.Path.Value ?? "").TrimEnd('/'), StringComparer.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }

    /// <summary>
    /// After routing: a debug endpoint answers only on the debug listener and the debug listener
    /// answers only with one; otherwise 404, as for a path nothing serves. The router's own match
    /// decides, so no spelling of a path (case, trailing slash) gets past it.
    /// </summary>
    public static IApplicationBuilder UseDebugEndpointsOnDebugListenerOnly(this IApplicationBuilder app, HttpConfiguration http) =>
        http.Debug is null ? app : app.Use((context, next) =>
        {
            if (IsDebugConnection(context) != (context.GetEndpoint()?.Metadata.GetMetadata<DebugEndpoint>() is not null))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });

    private static bool IsDebugConnection(HttpContext context) => context.Features.Get<DebugConnection>() is not null;

    /// <summary>Marks each connection the debug listener accepts; HTTP requests see the connection's features.</summary>
    private static void MarkConnections(ListenOptions listen) =>
        listen.Use(next => connection =>
        {
            connection.Features.Set(DebugConnection.Instance);
            return next(connection);
        });

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

/// <summary>The feature that marks a connection accepted by the debug listener.</summary>
internal sealed class DebugConnection
{
    public static readonly DebugConnection Instance = new();
}

/// <summary>Endpoint metadata of the debug listener's endpoints.</summary>
internal sealed class DebugEndpoint
{
    public static readonly DebugEndpoint Instance = new();
}
