using Google.Protobuf;
using RegistryCloud.Core.Oci;
using RegistryCloud.Core.Storage;
using RegistryCloud.ManifestService.Tags;
using RegistryCloud.Protos.BlobContent;

namespace RegistryCloud.ManifestService.Manifests;

/// <summary>
/// Manifest revisions and tags of a repository, in Distribution's layout. Manifest bytes are
/// content, stored and read through BlobService; this store owns only the links.
/// </summary>
internal sealed class ManifestStore(IStorageDriver driver, BlobContent.BlobContentClient blobs, TagStore tags, ManifestContentCache cache)
{
    public Task<Digest?> ResolveTagAsync(string repository, string tag, CancellationToken cancellationToken) =>
        tags.ResolveAsync(repository, tag, cancellationToken);

    public async Task<bool> HasRevisionAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        await driver.StatAsync(RegistryPaths.ManifestRevisionLink(repository, digest), cancellationToken) is not null;

    /// <summary>The manifest's bytes if the repository holds that revision, else null.</summary>
    public async Task<byte[]?> ReadAsync(string repository, Digest digest, long maxSize, CancellationToken cancellationToken)
    {
        if (!await HasRevisionAsync(repository, digest, cancellationToken))
        {
            return null;
        }

        // Only manifests within the size limit were ever stored or read, so a cached copy fits it.
        if (cache.Get(digest) is { } cached)
        {
            return cached;
        }

        var response = await blobs.ReadContentAsync(
            new ReadContentRequest { Digest = digest.ToString(), MaxSize = maxSize },
            cancellationToken: cancellationToken);
        if (!response.Found)
        {
            return null;
        }

        var content = response.Content.ToByteArray();
        cache.Add(digest, content);
        return content;
    }

    /// <summary>
    /// The references of a manifest that the repository lacks: blobs (config and layers) that are
    /// not linked into it, and child manifests of an index that it does not hold. Foreign
    /// (non-distributable) layers with <c>urls</c> live elsewhere and are not checked, as in
    /// Distribution; a distributable layer must be here even when it also names URLs.
    /// </summary>
    public async Task<IReadOnlyList<Digest>> FindMissingAsync(string repository, ManifestDocument document, CancellationToken cancellationToken)
    {
        var missing = new List<Digest>();
        var request = new StatBlobsRequest { Repository = repository };
        foreach (var blob in document.Blobs)
        {
            if (!blob.IsForeign)
            {
                request.Digests.Add(blob.Digest.ToString());
            }
        }

        if (request.Digests.Count > 0)
        {
            var response = await blobs.StatBlobsAsync(request, cancellationToken: cancellationToken);
            foreach (var stat in response.Blobs)
            {
                if (!stat.Exists)
                {
                    missing.Add(Digest.Parse(stat.Digest));
                }
            }
        }

        foreach (var child in document.Manifests)
        {
            if (!await HasRevisionAsync(repository, child.Digest, cancellationToken))
            {
                missing.Add(child.Digest);
            }
        }

        return missing;
    }

    /// <summary>Stores the manifest bytes, links the revision into the repository and points the tags at it.</summary>
    public async Task PutAsync(string repository, Digest digest, ReadOnlyMemory<byte> content, IReadOnlyList<string> tagNames, CancellationToken cancellationToken)
    {
        // A revision link is written only once its content is stored, and its content is fixed by
        // its path: one already there means both are in place, so tagging a manifest the repository
        // has (a retag, or the same image pushed again) costs no round trip to BlobService.
        var revision = RegistryPaths.ManifestRevisionLink(repository, digest);
        if (await driver.StatAsync(revision, cancellationToken) is null)
        {
            await blobs.WriteContentAsync(
                new WriteContentRequest { Content = UnsafeByteOperations.UnsafeWrap(content), ExpectedDigest = digest.ToString() },
                cancellationToken: cancellationToken);
            await driver.PutContentAsync(revision, RegistryPaths.LinkContent(digest), cancellationToken);
        }

        cache.Add(digest, content.ToArray());

        foreach (var tag in tagNames)
        {
            await tags.TagAsync(repository, tag, digest, cancellationToken);
        }
    }

    /// <summary>Unlinks a revision from the repository; the bytes stay in the content store. False when it was not there.</summary>
    public Task<bool> DeleteRevisionAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        driver.DeleteAsync(StoragePath.Parent(RegistryPaths.ManifestRevisionLink(repository, digest)), cancellationToken);
}
