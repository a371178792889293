using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Admin.Repositories;

/// <summary>One repository of a storage root: its tags and the distinct blobs it links.</summary>
internal sealed record RepositorySummary(string Name, int Tags, int Blobs, long Size, int MissingBlobs);

/// <summary>
/// Walks a storage root in Distribution's layout (<see cref="RegistryPaths"/>) and sums what each
/// repository holds. A repository is a folder under <c>repositories/</c> with <c>_manifests</c> or
/// <c>_layers</c>; names nest (<c>a</c> and <c>a/b</c> can both be repositories), so every folder
/// not starting with '_' is searched. Its size counts each blob it links once — layers from
/// <c>_layers</c>, manifests from <c>_manifests/revisions</c> — at the size of the blob's data file.
/// </summary>
internal sealed class RepositoryScanner(IStorageDriver driver)
{
    private readonly Dictionary<Digest, long?> _blobSizes = [];

    public async Task<IReadOnlyList<RepositorySummary>> ScanAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var repository in RepositoryWalker.WalkAsync(driver, cancellationToken).ConfigureAwait(false))
        {
            if (repository.HasManifests || repository.HasLayers)
            {
                names.Add(repository.Name);
            }
        }

        names.Sort(StringComparer.Ordinal);

        var summaries = new List<RepositorySummary>(names.Count);
        foreach (var name in names)
        {
            summaries.Add(await SummarizeAsync(name, cancellationToken).ConfigureAwait(false));
        }

        return summaries;
    }

    private async Task<RepositorySummary> SummarizeAsync(string name, CancellationToken cancellationToken)
    {
        var tags = 0;
        foreach (var tag in await driver.ListAsync(RegistryPaths.TagsDirectory(name), cancellationToken).ConfigureAwait(false))
        {
            // A tag is the folder's current link; a folder without one is a deleted or half-written tag.
            if (StoragePath.IsValid(tag)
                && await driver.StatAsync(RegistryPaths.TagCurrentLink(name, StoragePath.FileName(tag)), cancellationToken).ConfigureAwait(false) is not null)
            {
                tags++;
            }
        }

        var digests = new HashSet<Digest>();
        await CollectLinksAsync(RegistryPaths.Repository(name) + "/_layers", digests, cancellationToken).ConfigureAwait(false);
        await CollectLinksAsync(RegistryPaths.ManifestsDirectory(name) + "/revisions", digests, cancellationToken).ConfigureAwait(false);

        long size = 0;
        var missing = 0;
        foreach (var digest in digests)
        {
            if (await BlobSizeAsync(digest, cancellationToken).ConfigureAwait(false) is { } blobSize)
            {
                size += blobSize;
            }
            else
            {
                missing++;
            }
        }

        return new RepositorySummary(name, tags, digests.Count - missing, size, missing);
    }

    // <links>/<alg>/<hex>/link: the digest is the folder's path, as Distribution's linked blob store reads it.
    private async Task CollectLinksAsync(string links, HashSet<Digest> digests, CancellationToken cancellationToken)
    {
        foreach (var algorithm in await driver.ListAsync(links, cancellationToken).ConfigureAwait(false))
        {
            if (!StoragePath.IsValid(algorithm))
            {
                continue;
            }

            foreach (var encoded in await driver.ListAsync(algorithm, cancellationToken).ConfigureAwait(false))
            {
                if (Digest.TryParse($"{StoragePath.FileName(algorithm)}:{StoragePath.FileName(encoded)}", out var digest)
                    && await driver.StatAsync(encoded + "/link", cancellationToken).ConfigureAwait(false) is not null)
                {
                    digests.Add(digest);
                }
            }
        }
    }

    private async Task<long?> BlobSizeAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (!_blobSizes.TryGetValue(digest, out var size))
        {
            var entry = await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken).ConfigureAwait(false);
            size = entry is { IsDirectory: false } ? entry.Size : null;
            _blobSizes[digest] = size;
        }

        return size;
    }
}
