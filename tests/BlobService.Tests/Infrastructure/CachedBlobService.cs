using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Configuration;

namespace RegistryCloud.BlobService.Tests.Infrastructure;

/// <summary>
/// BlobService on the in-memory driver, deletes enabled, with <c>storage.cache.blobdescriptor</c>
/// set: <c>redis</c> against <paramref name="redisConnection"/>, or <c>inmemory</c> when it is
/// null. <paramref name="time"/>, when given, is the clock the cache judges expiry by.
/// </summary>
public sealed class CachedBlobService(string? redisConnection, TimeProvider? time = null) : BlobServiceFactory(Settings(redisConnection))
{
    public const string CacheKey = "REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (time is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }
    }

    private static Dictionary<string, string> Settings(string? redisConnection)
    {
        var settings = new Dictionary<string, string>
        {
            [RegistryStorageOptions.DriverKey] = "inmemory",
            [RegistryStorageOptions.DeleteEnabledKey] = "true",
            [CacheKey] = redisConnection is null ? "inmemory" : "redis",
        };
        if (redisConnection is not null)
        {
            // redis.addr satisfies the configuration's check; the connection string is what Aspire's client reads.
            settings["REGISTRY_REDIS_ADDR"] = redisConnection;
            settings["ConnectionStrings:redis"] = redisConnection;
        }

        return settings;
    }
}
