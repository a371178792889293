using Microsoft.Extensions.DependencyInjection.Extensions;
using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Apis;
using RegistryCloud.Gateway.Authentication;
using RegistryCloud.Gateway.Authorization;
using RegistryCloud.Gateway.Debug;
using RegistryCloud.Gateway.Logging;
using RegistryCloud.Gateway.Routing;
using RegistryCloud.Gateway.Tls;
using RegistryCloud.Hosting;
using RegistryCloud.Hosting.Tracing;
using RegistryCloud.Oci;
using Yarp.ReverseProxy.Transforms;

namespace RegistryCloud.Gateway.Extensions;

internal static class GatewayExtensions
{
    public static WebApplicationBuilder AddGatewayServices(this WebApplicationBuilder builder)
    {
        var registry = builder.Services.AddRegistryConfiguration(builder.Configuration);
        builder.UseGatewayListeners(registry.Http);
        builder.UseLargeSocketBuffers();
        builder.UseInlineSchedulingOnObjectStorage(registry);
        builder.AddDebugListener(registry.Http);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddRegistrySpans();
        builder.Services.AddRegistryAuthentication(registry);
        builder.Services.AddSingleton<BlobFileSender>();
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddConsoleRoute(builder.Configuration)
            .AddTransforms(transforms =>
            {
                var files = transforms.Services.GetRequiredService<BlobFileSender>();
                transforms.AddRequestTransform(files.OfferAsync);
                transforms.AddResponseTransform(files.SendAsync);
                transforms.AddResponseTransform(BlobResponseBody.CopyAsync);
            })
            .AddServiceDiscoveryDestinationResolver();
        builder.Services.AddSingleton<Yarp.ReverseProxy.Health.IPassiveHealthCheckPolicy, DeadReplicaPolicy>();
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<RegistryConfiguration>();
        app.UseRequestIds();
        if (!registry.Log.AccessLogDisabled)
        {
            app.UseAccessLog();
        }

        app.UseApiVersionHeader();
        app.UseConfiguredHeaders(registry.Http);
        app.UseOciExceptionHandler();
        app.UseDebugListener(registry.Http);
        app.UseRateLimits(perUser: false);
        app.UseRepositoryNameCheck();
        app.UseRegistryAuthentication();
        app.UseRateLimits(perUser: true);
        app.UseCatalogFilter();
        app.UseReadOnlyMode(registry.Storage.ReadOnly);
        app.UseRouting();
        app.UseDebugEndpointsOnDebugListenerOnly(registry.Http);
        app.MapBaseApi();
        app.MapTokenApi();
        app.MapDebugEndpoints(registry.Http);
        app.MapReverseProxy(pipeline =>
        {
            pipeline.Use(RegistryClusterSelector.SelectAsync);
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });

        // A path no endpoint serves is answered as every other refusal is: with the OCI error body
        // (Distribution writes "404 page not found" as text; clients read either as a miss).
        app.MapFallback("{**path}", context => OciErrorResult.WriteAsync(context.Response, OciErrorCode.NotFound, "not a registry API path"));
        return app;
    }
}

/// <summary>The service's ActivitySource and Meter name.</summary>
internal static class GatewayTelemetry
{
    public const string Name = "RegistryCloud.Gateway";
}
