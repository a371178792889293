using RegistryCloud.BlobService.Blobs.Cache;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Blobs;

/// <summary>
/// Content-addressed blobs and their links into repositories. A blob is visible in a
/// repository only through a <c>_layers</c> link, as in Distribution. Stats go through the
/// blob descriptor cache; only what storage confirmed (or this service wrote) is cached, and
/// never an absence.
/// </summary>
internal sealed class BlobStore(IStorageDriver driver, BlobDescriptorCache cache)
{
    /// <summary>The blob as seen from a repository, or null when it is not linked there or its bytes are gone.</summary>
    public async Task<BlobDescriptor?> StatAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        if (await cache.GetAsync(repository, digest, cancellationToken) is { } cached)
        {
            return cached;
        }

        if (await driver.StatAsync(RegistryPaths.LayerLink(repository, digest), cancellationToken) is null
            || await StatContentAsync(digest, cancellationToken) is not { } descriptor)
        {
            return null;
        }

        await cache.FillAsync(repository, descriptor, cancellationToken);
        return descriptor;
    }

    /// <summary>
    /// The blob as storage sees it in a repository, without the cache: for decisions that link
    /// content (a mount), where a stale cache entry must not stand in for the link or the bytes.
    /// </summary>
    public async Task<BlobDescriptor?> StatStoredAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        if (await driver.StatAsync(RegistryPaths.LayerLink(repository, digest), cancellationToken) is not { IsDirectory: false }
            || await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken) is not { IsDirectory: false } data)
        {
            return null;
        }

        return new BlobDescriptor(digest, data.Size, MediaTypes.OctetStream);
    }

    /// <summary>The blob's bytes in the shared content store, whatever repository links them.</summary>
    public async Task<BlobDescriptor?> StatContentAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (await cache.GetAsync(digest, cancellationToken) is { } cached)
        {
            return cached;
        }

        var data = await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken);
        if (data is null || data.IsDirectory)
        {
            return null;
        }

        var descriptor = new BlobDescriptor(digest, data.Size, MediaTypes.OctetStream);
        await cache.SetAsync(descriptor, cancellationToken);
        return descriptor;
    }

    /// <summary>Links stored content into a repository (push, mount) and records it in the cache.</summary>
    public async Task LinkAsync(string repository, BlobDescriptor descriptor, CancellationToken cancellationToken)
    {
        await driver.PutContentAsync(RegistryPaths.LayerLink(repository, descriptor.Digest), RegistryPaths.LinkContent(descriptor.Digest), cancellationToken);
        await cache.SetAsync(repository, descriptor, cancellationToken);
    }

    /// <summary>
    /// Removes the repository's link to a blob; the bytes stay for other repositories. The
    /// cache entry goes first, as a tombstone, so that neither this delete's answer nor a stat
    /// racing with it can leave the blob reported present.
    /// </summary>
    public async Task<bool> UnlinkAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await cache.RemoveAsync(repository, digest, cancellationToken);
        return await driver.DeleteAsync(StoragePath.Parent(RegistryPaths.LayerLink(repository, digest)), cancellationToken);
    }

    /// <summary>
    /// Forgets what the cache says of content the garbage collector removed: a repository's link
    /// (<paramref name="repository"/> given) or the shared bytes.
    /// </summary>
    public ValueTask ForgetAsync(string? repository, Digest digest, CancellationToken cancellationToken) =>
        repository is null ? cache.RemoveAsync(digest, cancellationToken) : cache.RemoveAsync(repository, digest, cancellationToken);

    public Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken) =>
        driver.OpenReadAsync(RegistryPaths.BlobData(digest), offset, cancellationToken);

    /// <summary>Whether the blob's bytes are in storage now (the descriptor cache can outlive them).</summary>
    public async Task<bool> ExistsInStorageAsync(Digest digest, CancellationToken cancellationToken) =>
        await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken) is { IsDirectory: false };

    /// <summary>A URL a client may fetch the blob's bytes from directly (object storage), or null.</summary>
    public Task<Uri?> DownloadUrlAsync(Digest digest, TimeSpan expiry, CancellationToken cancellationToken) =>
        driver.GetDownloadUrlAsync(RegistryPaths.BlobData(digest), expiry, cancellationToken);

    /// <summary>The local file holding the blob, for zero-copy sends; null where the driver has none.</summary>
    public string? LocalFile(Digest digest) => driver.GetLocalFilePath(RegistryPaths.BlobData(digest));

    /// <summary>
    /// Moves verified upload bytes into the content store. The move is the commit: the bytes under a
    /// digest path are complete and verified, or absent. A copy already there is replaced rather than
    /// trusted: whether it exists is storage's answer, not the cache's, and the new bytes are the
    /// ones this commit proved, whatever happened to the old.
    /// </summary>
    public async Task CommitAsync(string uploadDataPath, BlobDescriptor descriptor, CancellationToken cancellationToken)
    {
        if (!await driver.MoveAsync(uploadDataPath, RegistryPaths.BlobData(descriptor.Digest), cancellationToken))
        {
            throw new InvalidOperationException($"Upload data at '{uploadDataPath}' vanished before commit.");
        }

        await cache.SetAsync(descriptor, cancellationToken);
    }

    /// <summary>
    /// Stores small content (a manifest) under its digest, which the caller computed from it; written
    /// atomically, unless storage (not the cache) already holds it.
    /// </summary>
    public async Task WriteContentAsync(ReadOnlyMemory<byte> content, Digest digest, CancellationToken cancellationToken)
    {
        if (await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken) is not { IsDirectory: false } stored
            || stored.Size != content.Length)
        {
            await driver.PutContentAsync(RegistryPaths.BlobData(digest), content, cancellationToken);
        }

        await cache.SetAsync(new BlobDescriptor(digest, content.Length, MediaTypes.OctetStream), cancellationToken);
    }

    public Task<byte[]?> ReadContentAsync(Digest digest, CancellationToken cancellationToken) =>
        driver.GetContentAsync(RegistryPaths.BlobData(digest), cancellationToken);
}

internal sealed record BlobDescriptor(Digest Digest, long Size, string MediaType);
