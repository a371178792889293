using RegistryCloud.Configuration;

namespace RegistryCloud.AppHost.Resources;

/// <summary>
/// The blob descriptor cache when BlobService runs as several replicas. An <c>inmemory</c> cache
/// (what the default configuration, like the <c>registry</c> image's, asks for) is one per
/// process: after a DELETE on one replica the others keep answering 200 for the blob from their
/// own entries. Redis is one cache for all of them, and its delete tombstones are seen by every
/// replica, so replicas share it when there is a Redis.
/// </summary>
internal static class ReplicaBlobCache
{
    public const string CacheVariable = "REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR";
    public const string LegacyCacheVariable = "REGISTRY_STORAGE_CACHE_LAYERINFO";
    public const string RedisAddressVariable = "REGISTRY_REDIS_ADDR";

    /// <summary>
    /// With more than one replica, an <c>inmemory</c> cache becomes <c>redis</c> (with
    /// <c>redis.addr</c> when the configuration has no redis section: the configuration demands
    /// one for that cache; the services connect by the connection string). A cache asked for by a
    /// <c>REGISTRY_*</c> variable is the operator's explicit choice and is left alone.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReplicaSafeBlobCache(
        this IResourceBuilder<ProjectResource> blobService, AppHostSettings settings, RegistryRedis? redis)
    {
        if (!NeedsSharing(settings) || redis is null)
        {
            return blobService;
        }

        blobService.WithEnvironment(CacheVariable, "redis");
        return settings.Registry?.Redis is null ? blobService.WithEnvironment(RedisAddressVariable, redis.Address) : blobService;
    }

    /// <summary>Says at start-up what the replicas' cache will be, when it is not what the configuration says.</summary>
    public static void Report(AppHostSettings settings, RegistryRedis? redis)
    {
        if (!NeedsSharing(settings))
        {
            return;
        }

        Console.Error.WriteLine(redis is null
            ? $"warning: {AppHostSettings.ReplicasKey}={settings.Replicas} without Redis: each BlobService replica keeps its own " +
              "in-memory blob descriptor cache (storage.cache.blobdescriptor), so a blob deleted through one replica may be " +
              "reported present by another until its entry expires. Run with Redis, or remove storage.cache from the configuration."
            : $"note: {AppHostSettings.ReplicasKey}={settings.Replicas}: the BlobService replicas share the blob descriptor cache " +
              "in Redis instead of one in-memory cache each (storage.cache.blobdescriptor: inmemory), so a delete is seen by all of them.");
    }

    private static bool NeedsSharing(AppHostSettings settings) =>
        settings.Replicas > 1
        && (settings.Registry?.Storage.BlobDescriptorCache ?? BlobDescriptorCacheKind.InMemory) == BlobDescriptorCacheKind.InMemory
        && !settings.Overrides.ContainsKey(CacheVariable)
        && !settings.Overrides.ContainsKey(LegacyCacheVariable);
}
