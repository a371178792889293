using RegistryCloud.ManifestService.Listings;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.ManifestService.Tags;

/// <summary>
/// The tags of a repository: one directory each under <c>_manifests/tags</c> (Distribution's
/// layout), plus a reverse index digest → tags so that deleting a manifest touches only its own
/// tags, however many the repository has.
/// </summary>
internal sealed class TagStore(IStorageDriver driver, ListingIndexes listings)
{
    private static readonly byte[] Empty = [];

    /// <summary>
    /// Up to <paramref name="count"/> tags after <paramref name="after"/> in lexical (ordinal) order,
    /// from the index when it answers, else cut from the whole list; null when the repository does not exist.
    /// </summary>
    public async Task<IReadOnlyList<string>?> PageAsync(string repository, string? after, int count, CancellationToken cancellationToken)
    {
        if (await driver.StatAsync(RegistryPaths.Repository(repository), cancellationToken) is not { IsDirectory: true })
        {
            return null;
        }

        if (await listings.TagsPageAsync(repository, after, count, cancellationToken) is { } page)
        {
            return page;
        }

        return await ListAsync(repository, cancellationToken) is { } all ? SortedNames.After(all, after, count) : null;
    }

    /// <summary>
    /// Up to <paramref name="count"/> tags after <paramref name="after"/> from the index alone; null
    /// when the index does not answer, so that a caller reading a long list piece by piece lists the
    /// storage once (<see cref="ListAsync"/>) rather than once a piece.
    /// </summary>
    public async Task<IReadOnlyList<string>?> IndexedPageAsync(string repository, string after, int count, CancellationToken cancellationToken) =>
        await listings.TagsPageAsync(repository, after, count, cancellationToken);

    /// <summary>The repository's tags in lexical (ordinal) order, or null when the repository does not exist.</summary>
    public async Task<IReadOnlyList<string>?> ListAsync(string repository, CancellationToken cancellationToken)
    {
        if (await driver.StatAsync(RegistryPaths.Repository(repository), cancellationToken) is not { IsDirectory: true })
        {
            return null;
        }

        var children = await driver.ListAsync(RegistryPaths.TagsDirectory(repository), cancellationToken);
        var tags = new List<string>(children.Count);
        foreach (var child in children)
        {
            tags.Add(StoragePath.FileName(child));
        }

        tags.Sort(StringComparer.Ordinal);
        return tags;
    }

    public async Task<Digest?> ResolveAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        var link = await driver.GetContentAsync(RegistryPaths.TagCurrentLink(repository, tag), cancellationToken);
        return link is null ? null : RegistryPaths.ParseLink(link);
    }

    /// <summary>
    /// When each tag was pushed: the modification time of its current link, which a push writes
    /// only when the tag moves to another manifest (a push of the same manifest again leaves it),
    /// on every driver. Tags without a link (removed meanwhile) are left out. A few stats at a
    /// time: on object storage each is a request.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> PushedAtAsync(string repository, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var times = new DateTimeOffset?[tags.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, tags.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, token) => times[i] = (await driver.StatAsync(RegistryPaths.TagCurrentLink(repository, tags[i]), token))?.ModifiedAt);
        var pushed = new Dictionary<string, DateTimeOffset>(tags.Count, StringComparer.Ordinal);
        for (var i = 0; i < tags.Count; i++)
        {
            if (times[i] is { } at)
            {
                pushed[tags[i]] = at;
            }
        }

        return pushed;
    }

    /// <summary>
    /// Points a tag at a digest, keeping the tag's history and the reverse index. Files that
    /// already say the same are not written again: each write is a new inode, an fsync and a
    /// rename, the bulk of a tag push's cost.
    /// </summary>
    public async Task TagAsync(string repository, string tag, Digest digest, CancellationToken cancellationToken)
    {
        await WriteLinksAsync(repository, tag, digest, cancellationToken);

        // Also when nothing was written: an earlier PUT of the tag may have died before its index write.
        await listings.TagChangedAsync(repository, tag);
    }

    private async Task WriteLinksAsync(string repository, string tag, Digest digest, CancellationToken cancellationToken)
    {
        var previous = await ResolveAsync(repository, tag, cancellationToken);
        if (previous == digest)
        {
            // The marker was written before this current link. The history link was written with
            // it, unless that write failed after the current link's succeeded.
            await PutIfMissingAsync(RegistryPaths.TagIndexLink(repository, tag, digest), RegistryPaths.LinkContent(digest), cancellationToken);
            return;
        }

        var link = RegistryPaths.LinkContent(digest);

        // The reverse index first: a current link never names a digest whose marker is missing, so
        // deleting that manifest always finds the tag. The marker is an empty file, made without an
        // fsync; on a journaling file system the current link's fsync makes it durable too. The
        // history link (Distribution's tag index, which nothing here reads) is written alongside
        // the current link, so a tag PUT waits for one fsync, not two in a row.
        await PutIfMissingAsync(RegistryPaths.DigestTagMarker(repository, digest, tag), Empty, cancellationToken);
        await Task.WhenAll(
            PutIfMissingAsync(RegistryPaths.TagIndexLink(repository, tag, digest), link, cancellationToken),
            driver.PutContentAsync(RegistryPaths.TagCurrentLink(repository, tag), link, cancellationToken));
        if (previous is { } old)
        {
            await driver.DeleteAsync(RegistryPaths.DigestTagMarker(repository, old, tag), cancellationToken);
        }
    }

    /// <summary>Removes a tag; false when the repository has no such tag.</summary>
    public async Task<bool> DeleteAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        if (await ResolveAsync(repository, tag, cancellationToken) is not { } digest)
        {
            return false;
        }

        await driver.DeleteAsync(RegistryPaths.TagDirectory(repository, tag), cancellationToken);
        await listings.TagChangedAsync(repository, tag);
        await driver.DeleteAsync(RegistryPaths.DigestTagMarker(repository, digest, tag), cancellationToken);
        return true;
    }

    /// <summary>
    /// The tags whose current link points at <paramref name="digest"/>, from the reverse index:
    /// only the candidate tags are read, each checked against its current link.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindByDigestAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await EnsureIndexedAsync(repository, cancellationToken);
        var found = new List<string>();
        foreach (var marker in await driver.ListAsync(RegistryPaths.DigestTagsDirectory(repository, digest), cancellationToken))
        {
            var tag = StoragePath.FileName(marker);
            if (await ResolveAsync(repository, tag, cancellationToken) == digest)
            {
                found.Add(tag);
            }
        }

        return found;
    }

    /// <summary>Writes a file whose content is fixed by its path, unless it is already there.</summary>
    private async Task PutIfMissingAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (await driver.StatAsync(path, cancellationToken) is null)
        {
            await driver.PutContentAsync(path, content, cancellationToken);
        }
    }

    /// <summary>
    /// Builds the reverse index once for a repository whose tags were not all written through it
    /// (a root Distribution wrote): one scan, then the marker says it is complete.
    /// </summary>
    private async Task EnsureIndexedAsync(string repository, CancellationToken cancellationToken)
    {
        var complete = RegistryPaths.TagIndexComplete(repository);
        if (await driver.StatAsync(complete, cancellationToken) is not null)
        {
            return;
        }

        foreach (var tag in await ListAsync(repository, cancellationToken) ?? [])
        {
            if (await ResolveAsync(repository, tag, cancellationToken) is { } digest)
            {
                await driver.PutContentAsync(RegistryPaths.DigestTagMarker(repository, digest, tag), Empty, cancellationToken);
            }
        }

        await driver.PutContentAsync(complete, Empty, cancellationToken);
    }
}
