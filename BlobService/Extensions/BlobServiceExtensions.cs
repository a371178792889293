using RegistryCloud.BlobService.Apis;
using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Blobs.Cache;
using RegistryCloud.BlobService.Grpc;
using RegistryCloud.BlobService.Uploads;
using RegistryCloud.Events;
using RegistryCloud.Hosting;
using RegistryCloud.Hosting.Tracing;

namespace RegistryCloud.BlobService.Extensions;

internal static class BlobServiceExtensions
{
    public static IHostApplicationBuilder AddBlobServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRegistryStorage(builder.Configuration, BlobServiceTelemetry.Name);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRegistrySpans();
        builder.AddBlobDescriptorCache(builder.Services.AddRegistryConfiguration(builder.Configuration).Storage);
        builder.Services.AddSingleton<BlobStore>();
        builder.Services.AddSingleton<BlobServiceMetrics>();
        builder.Services.AddSingleton<UploadHashStates>();
        builder.Services.AddSingleton<UploadStore>();
        builder.Services.AddSingleton<UploadPurger>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<UploadPurger>());
        // Manifests travel whole in one message: allow what the content service accepts (16 MiB) plus framing.
        builder.Services.AddGrpc(options => options.MaxReceiveMessageSize = BlobContentGrpcService.MaxMessageSize);
        builder.AddRegistryEvents(BlobServiceTelemetry.Name);
        return builder;
    }

    public static WebApplication MapBlobApis(this WebApplication app)
    {
        app.UseOciExceptionHandler();
        app.UseRouting();
        app.MapBlobRoutes();
        app.MapGrpcService<BlobContentGrpcService>();
        return app;
    }
}

/// <summary>The service's ActivitySource and Meter name.</summary>
internal static class BlobServiceTelemetry
{
    public const string Name = "RegistryCloud.BlobService";
}
