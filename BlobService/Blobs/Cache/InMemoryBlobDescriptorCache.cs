using Microsoft.Extensions.Caching.Memory;
using RegistryCloud.Oci;

namespace RegistryCloud.BlobService.Blobs.Cache;

/// <summary>
/// The cache in this process's memory (<c>storage.cache.blobdescriptor: inmemory</c>), bounded
/// to <see cref="BlobDescriptorCacheOptions.InMemorySize"/> entries. Expiry is judged against the
/// injected <see cref="TimeProvider"/>; MemoryCache's own expiry only reclaims the memory.
/// </summary>
internal sealed class InMemoryBlobDescriptorCache : IBlobDescriptorCache, IDisposable
{
    private readonly MemoryCache _cache;
    private readonly BlobDescriptorCacheOptions _options;
    private readonly TimeProvider _time;

    // Fill-if-absent and set-over-tombstone must not interleave on one key.
    private readonly Lock _membership = new();

    public InMemoryBlobDescriptorCache(BlobDescriptorCacheOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.InMemorySize > 0 ? options.InMemorySize : null });
    }

    public ValueTask<BlobDescriptor?> GetAsync(Digest digest, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Read(ContentKey(digest)));

    public ValueTask SetAsync(BlobDescriptor descriptor, CancellationToken cancellationToken)
    {
        Write(ContentKey(descriptor.Digest), descriptor, _options.Ttl);
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(Digest digest, CancellationToken cancellationToken)
    {
        _cache.Remove(ContentKey(digest));
        return ValueTask.CompletedTask;
    }

    public ValueTask<BlobDescriptor?> GetAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Read(MemberKey(repository, digest)));

    public ValueTask FillAsync(string repository, BlobDescriptor descriptor, CancellationToken cancellationToken)
    {
        var key = MemberKey(repository, descriptor.Digest);
        lock (_membership)
        {
            if (!_cache.TryGetValue(key, out Entry? entry) || entry!.ExpiresAt <= _time.GetUtcNow())
            {
                Write(key, descriptor, _options.Ttl);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask SetAsync(string repository, BlobDescriptor descriptor, CancellationToken cancellationToken)
    {
        lock (_membership)
        {
            Write(MemberKey(repository, descriptor.Digest), descriptor, _options.Ttl);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var key = MemberKey(repository, digest);
        lock (_membership)
        {
            // Removed first: should the full cache refuse the tombstone, the entry is gone all the same.
            _cache.Remove(key);
            Write(key, null, _options.RemovalTtl);
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose() => _cache.Dispose();

    private BlobDescriptor? Read(string key) =>
        _cache.TryGetValue(key, out Entry? entry) && entry!.ExpiresAt > _time.GetUtcNow() ? entry.Descriptor : null;

    private void Write(string key, BlobDescriptor? descriptor, TimeSpan ttl)
    {
        using var entry = _cache.CreateEntry(key);
        entry.Value = new Entry(descriptor, _time.GetUtcNow() + ttl);
        entry.AbsoluteExpirationRelativeToNow = ttl;
        entry.Size = 1;
    }

    private static string ContentKey(Digest digest) => "blobs::" + digest;

    private static string MemberKey(string repository, Digest digest) => "repository::" + repository + "::blobs::" + digest;

    /// <summary>A descriptor, or null for a removal's tombstone.</summary>
    private sealed record Entry(BlobDescriptor? Descriptor, DateTimeOffset ExpiresAt);
}
