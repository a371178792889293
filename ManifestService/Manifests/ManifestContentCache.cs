using Microsoft.Extensions.Caching.Memory;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Manifests;

/// <summary>
/// Manifest bytes by digest, kept in this process. Content under a digest never changes, so the
/// cache needs no invalidation: whether a repository still holds a revision is always read from
/// storage, only the bytes come from here. Bounded by total size; least recently used go first.
/// </summary>
internal sealed class ManifestContentCache : IDisposable
{
    /// <summary>64 MiB of manifests: thousands of typical ones, a handful of the largest.</summary>
    public const long CapacityBytes = 64L * 1024 * 1024;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CapacityBytes });

    public byte[]? Get(Digest digest) => _cache.Get<byte[]>(digest.ToString());

    public void Add(Digest digest, byte[] content) =>
        _cache.Set(digest.ToString(), content, new MemoryCacheEntryOptions { Size = Math.Max(1, content.Length) });

    public void Dispose() => _cache.Dispose();
}
