using RegistryCloud.Storage;

namespace RegistryCloud.ManifestService.Listings;

/// <summary>
/// The repositories of the registry: every directory under <c>repositories/</c> that holds
/// <c>_manifests</c>, as Distribution's catalog walk finds them, in no particular order.
/// </summary>
internal static class CatalogWalk
{
    public static async IAsyncEnumerable<string> RepositoriesAsync(
        IStorageDriver driver, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
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
                    yield return directory[prefixLength..];
                }
                else if (!name.StartsWith('_'))
                {
                    pending.Push(child);
                }
            }
        }
    }
}
