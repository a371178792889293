using RegistryCloud.Configuration;
using RegistryCloud.Events;
using RegistryCloud.Hosting;
using RegistryCloud.Hosting.Tracing;
using RegistryCloud.Lifecycle.Quotas;
using RegistryCloud.ManifestService.Apis;
using RegistryCloud.ManifestService.Catalog;
using RegistryCloud.ManifestService.Listings;
using RegistryCloud.ManifestService.Manifests;
using RegistryCloud.ManifestService.Proxy;
using RegistryCloud.ManifestService.Referrers;
using RegistryCloud.ManifestService.Tags;
using RegistryCloud.Protos.BlobContent;
using RegistryCloud.Proxy;
using RegistryCloud.Storage;

namespace RegistryCloud.ManifestService.Extensions;

internal static class ManifestServiceExtensions
{
    /// <summary>BlobService's gRPC endpoint, found by service discovery (Aspire: the "grpc" endpoint of "blobservice").</summary>
    public const string BlobServiceGrpcAddressKey = "BlobService:GrpcAddress";
    private const string DefaultBlobServiceGrpcAddress = "http://_grpc.blobservice";
    private const int MaxGrpcMessageSize = 16 * 1024 * 1024 + 64 * 1024;

    public static IHostApplicationBuilder AddManifestServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRegistryStorage(builder.Configuration, ManifestServiceTelemetry.Name);
        builder.Services.AddRegistrySpans();
        builder.Services.AddScoped<ManifestStore>();
        builder.Services.AddSingleton<ManifestContentCache>();
        builder.Services.AddSingleton<LayerUrlPolicy>();
        builder.Services.AddSingleton<TagStore>();
        builder.Services.AddSingleton<ImmutableTags>();
        builder.Services.AddSingleton<PullTimes>();
        builder.Services.AddSingleton(services => new RepositoryQuotas(
            services.GetRequiredService<IStorageDriver>(), services.GetRequiredService<RegistryConfiguration>().Policies, services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ReferrerStore>();
        builder.Services.AddSingleton<RepositoryCatalog>();
        builder.Services.AddRegistryProxy(ManifestServiceTelemetry.Name);
        builder.Services.AddScoped<ManifestProxy>();
        builder.Services.AddScoped<TagListProxy>();
        builder.Services.AddSingleton<ListingIndexes>();
        if (RegistryEventsServiceCollectionExtensions.HasRedis(builder.Configuration))
        {
            // The listing indexes need Redis whether or not any notification endpoint is enabled.
            builder.AddRegistryRedisClient();
        }

        var address = builder.Configuration[BlobServiceGrpcAddressKey] ?? DefaultBlobServiceGrpcAddress;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            throw new InvalidOperationException($"{BlobServiceGrpcAddressKey}: '{address}' is not an absolute URI.");
        }

        // A 4 MiB manifest (the OCI minimum) is over gRPC's 4 MB default in either direction.
        builder.Services.AddGrpcClient<BlobContent.BlobContentClient>(options => options.Address = uri)
            .ConfigureChannel(channel =>
            {
                channel.MaxReceiveMessageSize = MaxGrpcMessageSize;
                channel.MaxSendMessageSize = MaxGrpcMessageSize;
            });
        builder.AddRegistryEvents(ManifestServiceTelemetry.Name);
        return builder;
    }

    public static WebApplication MapManifestApis(this WebApplication app)
    {
        app.UseOciExceptionHandler();
        app.UseRouting();
        app.MapManifestRoutes();
        return app;
    }
}

/// <summary>The service's ActivitySource and Meter name.</summary>
internal static class ManifestServiceTelemetry
{
    public const string Name = "RegistryCloud.ManifestService";
}
