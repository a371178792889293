using RegistryCloud.Configuration;
using RegistryCloud.Events;
using StackExchange.Redis;

namespace RegistryCloud.BlobService.Blobs.Cache;

internal static partial class BlobDescriptorCacheServiceCollectionExtensions
{
    /// <summary>
    /// The cache <c>storage.cache.blobdescriptor</c> asks for. <c>redis</c> without a Redis
    /// connection (<c>ConnectionStrings:redis</c>) falls back to <c>inmemory</c> with a warning.
    /// Absent means no cache, as in Distribution: every replica then reads storage, which is the
    /// only answer that stays right when a delete lands on another replica.
    /// </summary>
    public static IHostApplicationBuilder AddBlobDescriptorCache(this IHostApplicationBuilder builder, StorageConfiguration storage)
    {
        var requested = storage.BlobDescriptorCache;
        var hasRedis = RegistryEventsServiceCollectionExtensions.HasRedis(builder.Configuration);
        var options = new BlobDescriptorCacheOptions
        {
            Requested = requested,
            Kind = requested == BlobDescriptorCacheKind.Redis && !hasRedis ? BlobDescriptorCacheKind.InMemory : requested,
            InMemorySize = storage.BlobDescriptorCacheSize,
        };
        options.Validate();

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<BlobDescriptorCacheMetrics>();
        switch (options.Kind)
        {
            case BlobDescriptorCacheKind.Redis:
                builder.AddRegistryRedisClient();
                builder.Services.AddSingleton<IBlobDescriptorCache>(services =>
                    new RedisBlobDescriptorCache(services.GetRequiredService<IConnectionMultiplexer>(), services.GetRequiredService<BlobDescriptorCacheOptions>()));
                break;
            case BlobDescriptorCacheKind.InMemory:
                builder.Services.AddSingleton<IBlobDescriptorCache>(services =>
                    new InMemoryBlobDescriptorCache(services.GetRequiredService<BlobDescriptorCacheOptions>(), services.GetRequiredService<TimeProvider>()));
                break;
        }

        builder.Services.AddSingleton(services => new BlobDescriptorCache(
            services.GetService<IBlobDescriptorCache>(),
            services.GetRequiredService<BlobDescriptorCacheOptions>(),
            services.GetRequiredService<BlobDescriptorCacheMetrics>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<BlobDescriptorCache>>()));
        builder.Services.AddHostedService<Reporter>();
        return builder;
    }

    /// <summary>Says at start-up which cache is in use, and warns once when Redis was asked for but is not there.</summary>
    private sealed partial class Reporter(BlobDescriptorCacheOptions options, ILogger<BlobDescriptorCache> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (options.Requested == BlobDescriptorCacheKind.Redis && options.Kind != BlobDescriptorCacheKind.Redis)
            {
                LogNoRedis(logger);
            }
            else
            {
                LogSelected(logger, options.Kind);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "storage.cache.blobdescriptor is redis but no Redis connection (ConnectionStrings:redis) is configured; using the in-memory cache")]
        private static partial void LogNoRedis(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information, Message = "Blob descriptor cache: {Kind}")]
        private static partial void LogSelected(ILogger logger, BlobDescriptorCacheKind kind);
    }
}
