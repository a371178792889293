using RegistryCloud.BlobService.Apis;
using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Blobs.Cache;
using RegistryCloud.BlobService.Gc;
using RegistryCloud.BlobService.Grpc;
using RegistryCloud.BlobService.Proxy;
using RegistryCloud.BlobService.Operations;
using RegistryCloud.BlobService.Uploads;
using RegistryCloud.Configuration;
using RegistryCloud.Events;
using RegistryCloud.Hosting;
using RegistryCloud.Hosting.Tracing;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Lifecycle.Quotas;
using RegistryCloud.Proxy;
using RegistryCloud.Storage;

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
        builder.Services.AddSingleton(services => new RepositoryQuotas(
            services.GetRequiredService<IStorageDriver>(), services.GetRequiredService<RegistryConfiguration>().Policies, services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<UploadStore>();
        builder.Services.AddSingleton<UploadPurger>();
        builder.Services.AddRegistryProxy(BlobServiceTelemetry.Name);
        builder.Services.AddSingleton<BlobProxy>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<UploadPurger>());
        // Manifests travel whole in one message: allow what the content service accepts (16 MiB) plus framing.
        builder.Services.AddGrpc(options => options.MaxReceiveMessageSize = BlobContentGrpcService.MaxMessageSize);
        builder.AddRegistryEvents(BlobServiceTelemetry.Name);
        builder.AddGarbageCollection();
        return builder;
    }

    /// <summary>
    /// The collector and the scrub, and the writers' records and run leases they coordinate with: in
    /// Redis, shared by every replica, when the service has one; else in this process (one replica).
    /// </summary>
    private static void AddGarbageCollection(this IHostApplicationBuilder builder)
    {
        if (RegistryEventsServiceCollectionExtensions.HasRedis(builder.Configuration))
        {
            builder.AddRegistryRedisClient();
            builder.Services.AddSingleton<IGcCoordinator, RedisGcCoordinator>();
        }
        else
        {
            builder.Services.AddSingleton<IGcCoordinator, InMemoryGcCoordinator>();
        }

        builder.Services.AddSingleton<GcUses>();
        builder.Services.AddSingleton<LifecycleMetrics>();
        builder.Services.AddSingleton(services => new LifecycleStatusStore(
            services.GetRequiredService<ILogger<LifecycleStatusStore>>(), services.GetService<StackExchange.Redis.IConnectionMultiplexer>()));
        builder.Services.AddSingleton<StorageUsage>();
        builder.Services.AddSingleton<GarbageCollectionService>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<GarbageCollectionService>());
        builder.Services.AddSingleton<ScrubService>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<ScrubService>());
    }

    public static WebApplication MapBlobApis(this WebApplication app)
    {
        app.UseOciExceptionHandler();
        app.UseRouting();
        app.MapBlobRoutes();
        app.MapStatusApi();
        app.MapGrpcService<BlobContentGrpcService>();
        return app;
    }
}

/// <summary>The service's ActivitySource and Meter name.</summary>
internal static class BlobServiceTelemetry
{
    public const string Name = "RegistryCloud.BlobService";
}
