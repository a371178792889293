using RegistryCloud.Core.Oci;
using RegistryCloud.Core.Storage;

namespace RegistryCloud.ManifestService.Tags;

/// <summary>The tags of a repository: one directory each under <c>_manifests/tags</c>.</summary>
internal sealed class TagStore(IStorageDriver driver)
{
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

    /// <summary>Removes a tag; false when the repository has no such tag.</summary>
    public async Task<bool> DeleteAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        if (await driver.StatAsync(RegistryPaths.TagCurrentLink(repository, tag), cancellationToken) is null)
        {
            return false;
        }

        return await driver.DeleteAsync(RegistryPaths.TagDirectory(repository, tag), cancellationToken);
    }

    /// <summary>
    /// The tags whose current link points at <paramref name="digest"/>. Reads every tag's link,
    /// as Distribution does; an index of digest to tags is issue 4's work.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindByDigestAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var tag in await ListAsync(repository, cancellationToken) ?? [])
        {
            var link = await driver.GetContentAsync(RegistryPaths.TagCurrentLink(repository, tag), cancellationToken);
            if (link is not null && RegistryPaths.ParseLink(link) == digest)
            {
                found.Add(tag);
            }
        }

        return found;
    }
}
