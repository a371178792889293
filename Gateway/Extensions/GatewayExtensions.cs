using RegistryCloud.Core.Errors;
using RegistryCloud.Gateway.Apis;
using RegistryCloud.Gateway.Logging;
using RegistryCloud.Gateway.Routing;

namespace RegistryCloud.Gateway.Extensions;

internal static class GatewayExtensions
{
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseRequestIds();
        app.UseAccessLog();
        app.UseApiVersionHeader();
        app.UseOciExceptionHandler();
        app.UseRouting();
        app.MapBaseApi();
        app.MapReverseProxy(pipeline =>
        {
            pipeline.Use(RegistryClusterSelector.SelectAsync);
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });
        return app;
    }
}

/// <summary>The service's ActivitySource and Meter name.</summary>
internal static class GatewayTelemetry
{
    public const string Name = "RegistryCloud.Gateway";
}
