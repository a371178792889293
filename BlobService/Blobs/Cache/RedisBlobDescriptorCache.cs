using System.Globalization;
using RegistryCloud.Oci;
using StackExchange.Redis;

namespace RegistryCloud.BlobService.Blobs.Cache;

/// <summary>
/// The cache in Redis (<c>storage.cache.blobdescriptor: redis</c>), shared by every replica.
/// Keys follow Distribution's (<c>blobs::&lt;digest&gt;</c>,
/// <c>repository::&lt;name&gt;::blobs::&lt;digest&gt;</c>) under a prefix, but each membership is a
/// key of its own rather than a member of one set per repository: a set member can neither
/// expire nor be left as a tombstone, and Distribution's set is why its deleted blobs stayed
/// "present". Each value is one string, written with its TTL in one command.
/// </summary>
internal sealed class RedisBlobDescriptorCache(IConnectionMultiplexer redis, BlobDescriptorCacheOptions options) : IBlobDescriptorCache
{
    private const string Tombstone = "-";

    public async ValueTask<BlobDescriptor?> GetAsync(Digest digest, CancellationToken cancellationToken) =>
        Parse(digest, await ReadAsync(ContentKey(digest), cancellationToken));

    public ValueTask SetAsync(BlobDescriptor descriptor, CancellationToken cancellationToken) =>
        WriteAsync(ContentKey(descriptor.Digest), Format(descriptor), options.Ttl, When.Always, cancellationToken);

    public ValueTask RemoveAsync(Digest digest, CancellationToken cancellationToken) =>
        WriteAsync(ContentKey(digest), Tombstone, options.RemovalTtl, When.Always, cancellationToken);

    public async ValueTask<BlobDescriptor?> GetAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        Parse(digest, await ReadAsync(MemberKey(repository, digest), cancellationToken));

    public ValueTask FillAsync(string repository, BlobDescriptor descriptor, CancellationToken cancellationToken) =>
        WriteAsync(MemberKey(repository, descriptor.Digest), Format(descriptor), options.Ttl, When.NotExists, cancellationToken);

    public ValueTask SetAsync(string repository, BlobDescriptor descriptor, CancellationToken cancellationToken) =>
        WriteAsync(MemberKey(repository, descriptor.Digest), Format(descriptor), options.Ttl, When.Always, cancellationToken);

    public ValueTask RemoveAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        WriteAsync(MemberKey(repository, digest), Tombstone, options.RemovalTtl, When.Always, cancellationToken);

    private async ValueTask<RedisValue> ReadAsync(string key, CancellationToken cancellationToken)
    {
        ThrowIfDisconnected();
        return await redis.GetDatabase().StringGetAsync(key).WaitAsync(options.RedisTimeout, cancellationToken);
    }

    private async ValueTask WriteAsync(string key, string value, TimeSpan ttl, When when, CancellationToken cancellationToken)
    {
        ThrowIfDisconnected();
        await redis.GetDatabase().StringSetAsync(key, value, ttl, when).WaitAsync(options.RedisTimeout, cancellationToken);
    }

    /// <summary>
    /// While the connection is down the client would queue commands until its own timeout;
    /// a request should go to storage at once instead.
    /// </summary>
    private void ThrowIfDisconnected()
    {
        if (!redis.IsConnected)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected");
        }
    }

    private string ContentKey(Digest digest) => options.RedisKeyPrefix + "blobs::" + digest;

    private string MemberKey(string repository, Digest digest) =>
        options.RedisKeyPrefix + "repository::" + repository + "::blobs::" + digest;

    private static string Format(BlobDescriptor descriptor) =>
        descriptor.Size.ToString(CultureInfo.InvariantCulture) + "|" + descriptor.MediaType;

    /// <summary>"size|media type"; anything else (absent, a tombstone, a foreign value) is a miss.</summary>
    private static BlobDescriptor? Parse(Digest digest, RedisValue value)
    {
        if (value.IsNullOrEmpty)
        {
            return null;
        }

        var text = value.ToString();
        var separator = text.IndexOf('|', StringComparison.Ordinal);
        return separator > 0 && long.TryParse(text.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? new BlobDescriptor(digest, size, text[(separator + 1)..])
            : null;
    }
}
