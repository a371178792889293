using RegistryCloud.Storage;

namespace RegistryCloud.ManifestService.Catalog;

/// <summary>
/// The repositories of the registry: every directory under <c>repositories/</c> that holds
/// <c>_manifests</c>, as Distribution's catalog walk finds them.
/// </summary>
internal sealed class RepositoryCatalog(IStorageDriver driver)
{
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var repositories = new List<string>();
        var pending = new Stack<string>();
        pending.Push(RegistryPaths.RepositoriesRoot);
        var prefixLength = RegistryPaths.RepositoriesRoot.Length + 1;
        while (pending.TryPop(out var directory))
        {
            foreach (var child in await driver.ListAsync(directory, cancellationToken))
            {
                var name = StoragePath.FileName(child);
                if (name == "_manifests")
                {
                    repositories.Add(directory[prefixLength..]);
                }
                else if (!name.StartsWith('_'))
                {
                    pending.Push(child);
                }
            }
        }

        repositories.Sort(StringComparer.Ordinal);
        return repositories;
    }
}
