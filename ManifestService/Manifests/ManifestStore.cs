using Google.Protobuf;
using RegistryCloud.ManifestService.Listings;
using RegistryCloud.ManifestService.Tags;
using RegistryCloud.Oci;
using RegistryCloud.Protos.BlobContent;
using RegistryCloud.Storage;

namespace RegistryCloud.ManifestService.Manifests;

/// <summary>
/// Manifest revisions and tags of a repository, in Distribution's layout. Manifest bytes are
/// content, stored and read through BlobService; this store owns only the links.
/// </summary>
internal sealed class ManifestStore(
    IStorageDriver driver, BlobContent.BlobContentClient blobs, TagStore tags, ManifestContentCache cache, ListingIndexes listings)
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
    /// Stores a manifest, links the revision into the repository and points the tags at it, unless
    /// the repository lacks one of its references: then nothing is written and those are returned.
    /// References are the blobs (config and layers) linked into the repository and, for an index,
    /// the child manifests it holds. Foreign (non-distributable) layers with <c>urls</c> live
    /// elsewhere and are not checked, as in Distribution; a distributable layer must be here even
    /// when it also names URLs.
    /// </summary>
    public async Task<IReadOnlyList<Digest>> PutAsync(
        string repository, Digest digest, ReadOnlyMemory<byte> content, ManifestDocument document, IReadOnlyList<string> tagNames, CancellationToken cancellationToken)
    {
        var references = new List<string>();
        foreach (var blob in document.Blobs)
        {
            if (!blob.IsForeign)
            {
                references.Add(blob.Digest.ToString());
            }
        }

        // Everything this PUT relies on, which BlobService records for the garbage collector
        // before it checks anything: this manifest (its bytes may be stored already), its blobs,
        // and the child manifests of an index, which are checked here only after that call.
        var reliesOn = new List<string>(references.Count + document.Manifests.Count + 1) { digest.ToString() };
        reliesOn.AddRange(references);
        reliesOn.AddRange(document.Manifests.Select(child => child.Digest.ToString()));

        // A revision link is written only once its content is stored, and its content is fixed by
        // its path: one already there means both are in place, so tagging a manifest the repository
        // has (a retag, or the same image pushed again) only checks its blobs are still linked. A
        // new one is checked and stored by BlobService in one call, which stores nothing when a
        // blob is missing. An index's children are checked after that call recorded them; bytes
        // stored for an index whose children are missing stay unlinked, garbage for the collector.
        var revision = RegistryPaths.ManifestRevisionLink(repository, digest);
        var linked = await driver.StatAsync(revision, cancellationToken) is not null;
        List<Digest> missing;
        if (linked)
        {
            missing = await MissingBlobsAsync(repository, references, reliesOn, cancellationToken);
        }
        else
        {
            var request = new WriteContentRequest { Content = UnsafeByteOperations.UnsafeWrap(content), ExpectedDigest = digest.ToString(), Repository = repository };
            request.References.Add(references);
            request.ReliesOn.Add(reliesOn);
            var written = await blobs.WriteContentAsync(request, cancellationToken: cancellationToken);
            missing = written.ReferencesChecked
                ? [.. written.Missing.Select(Digest.Parse)]
                : await MissingBlobsAsync(repository, references, reliesOn, cancellationToken);
        }

        foreach (var child in document.Manifests)
        {
            if (!await HasRevisionAsync(repository, child.Digest, cancellationToken))
            {
                missing.Add(child.Digest);
            }
        }

        if (missing.Count > 0)
        {
            // From a BlobService that did not check them, the bytes are stored but unlinked: garbage, never served.
            return missing;
        }

        if (!linked)
        {
            await driver.PutContentAsync(revision, RegistryPaths.LinkContent(digest), cancellationToken);
        }

        cache.Add(digest, content.ToArray());
        await listings.RepositoryWrittenAsync(repository);
        foreach (var tag in tagNames)
        {
            await tags.TagAsync(repository, tag, digest, cancellationToken);
        }

        return [];
    }

    /// <summary>
    /// Stores a manifest the pull-through cache fetched and links its revision. Its blobs are not
    /// checked: a cache holds the layers its clients pulled, which may be none yet.
    /// </summary>
    public async Task StoreCachedAsync(string repository, Digest digest, byte[] content, CancellationToken cancellationToken)
    {
        var request = new WriteContentRequest { Content = UnsafeByteOperations.UnsafeWrap(content), ExpectedDigest = digest.ToString(), Repository = repository };
        request.ReliesOn.Add(digest.ToString());
        await blobs.WriteContentAsync(request, cancellationToken: cancellationToken);
        await driver.PutContentAsync(RegistryPaths.ManifestRevisionLink(repository, digest), RegistryPaths.LinkContent(digest), cancellationToken);
        cache.Add(digest, content);

        // A cached repository is a repository: the catalog's index learns of it as of a push.
        await listings.RepositoryWrittenAsync(repository);
    }

    private async Task<List<Digest>> MissingBlobsAsync(string repository, List<string> references, List<string> reliesOn, CancellationToken cancellationToken)
    {
        var request = new StatBlobsRequest { Repository = repository };
        request.Digests.Add(references);
        request.ReliesOn.Add(reliesOn);
        var response = await blobs.StatBlobsAsync(request, cancellationToken: cancellationToken);
        return [.. response.Blobs.Where(stat => !stat.Exists).Select(stat => Digest.Parse(stat.Digest))];
    }

    /// <summary>Unlinks a revision from the repository; the bytes stay in the content store. False when it was not there.</summary>
    public Task<bool> DeleteRevisionAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        driver.DeleteAsync(StoragePath.Parent(RegistryPaths.ManifestRevisionLink(repository, digest)), cancellationToken);
}
