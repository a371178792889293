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
}
