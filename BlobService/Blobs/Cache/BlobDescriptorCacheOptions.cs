using RegistryCloud.Configuration;

namespace RegistryCloud.BlobService.Blobs.Cache;

/// <summary>How the blob descriptor cache behaves; the kind and size come from <c>storage.cache</c>.</summary>
internal sealed class BlobDescriptorCacheOptions
{
    /// <summary>The cache in use, after falling back from Redis when no Redis is configured.</summary>
    public BlobDescriptorCacheKind Kind { get; init; }

    /// <summary>What <c>storage.cache.blobdescriptor</c> asked for.</summary>
    public BlobDescriptorCacheKind Requested { get; init; }

    /// <summary>
    /// Life of every entry. It bounds how long a removal that could not reach the cache (Redis
    /// down at the delete, or another replica's in-memory cache) can leave a blob reported present.
    /// </summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Life of a removal's tombstone: longer than any stat-then-fill can take.</summary>
    public TimeSpan RemovalTtl { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>storage.cache.blobdescriptorsize</c>: entries the in-memory cache keeps; 0 is no limit.</summary>
    public int InMemorySize { get; init; } = 10000;

    /// <summary>
    /// The longest a request waits on Redis before it goes to storage instead; well under the
    /// client's 5 s default, so an unresponsive Redis costs little.
    /// </summary>
    public TimeSpan RedisTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Keeps cache keys apart from the event stream's <c>registry:{events}</c> keys.</summary>
    public string RedisKeyPrefix { get; init; } = "registry:cache:";

    /// <summary>Removals kept to retry after a Redis outage; past this the cache is bypassed for a TTL.</summary>
    public int MaxPendingRemovals { get; init; } = 10000;

    public void Validate()
    {
        if (Ttl <= TimeSpan.Zero || RemovalTtl <= TimeSpan.Zero || RedisTimeout <= TimeSpan.Zero)
        {
            throw new RegistryConfigurationException("storage.cache: the blob descriptor cache's TTLs and timeout must be positive.");
        }

        if (InMemorySize < 0)
        {
            throw new RegistryConfigurationException("storage.cache.blobdescriptorsize: must be 0 (no limit) or more.");
        }
    }
}
