using RegistryCloud.Oci;

namespace RegistryCloud.BlobService.Blobs.Cache;

/// <summary>
/// A store of blob descriptors in front of the storage driver, as Distribution's
/// <c>storage.cache.blobdescriptor</c>: the shared content (digest → size, media type) and
/// each repository's membership ((repository, digest) → descriptor). Every entry expires.
/// Implementations throw when their backend fails; <see cref="BlobDescriptorCache"/> turns
/// that into a miss.
/// </summary>
internal interface IBlobDescriptorCache
{
    /// <summary>The shared content's descriptor, or null when not cached.</summary>
    ValueTask<BlobDescriptor?> GetAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Records the shared content's descriptor (content never changes under a digest).</summary>
    ValueTask SetAsync(BlobDescriptor descriptor, CancellationToken cancellationToken);

    /// <summary>Forgets the shared content: the garbage collector removed its bytes.</summary>
    ValueTask RemoveAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>The blob as a member of the repository, or null when not cached or removed.</summary>
    ValueTask<BlobDescriptor?> GetAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Records membership read from storage, unless an entry is there already — in particular
    /// a removal: a stat that started before a delete must not bring the blob back.
    /// </summary>
    ValueTask FillAsync(string repository, BlobDescriptor descriptor, CancellationToken cancellationToken);

    /// <summary>Records membership this service has just written (push, mount, link), over a removal.</summary>
    ValueTask SetAsync(string repository, BlobDescriptor descriptor, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the repository no longer holds the blob. The removal is an entry of its own
    /// (a tombstone) for <see cref="BlobDescriptorCacheOptions.RemovalTtl"/>, so that a fill
    /// racing with the delete is refused.
    /// </summary>
    ValueTask RemoveAsync(string repository, Digest digest, CancellationToken cancellationToken);
}
