namespace RegistryCloud.Storage;

/// <summary>
/// Finds the repositories under <c>repositories/</c>: every directory that holds a
/// <c>_manifests</c>, <c>_layers</c> or <c>_uploads</c> folder, at any depth (a name such as
/// <c>a/b</c> may sit beside <c>a</c>'s own folders). Folders starting with <c>_</c> are the
/// layout's own and never names.
/// </summary>
public static class RepositoryWalker
{
    public static async IAsyncEnumerable<RepositoryFolders> WalkAsync(
        IStorageDriver driver, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefixLength = RegistryPaths.RepositoriesRoot.Length + 1;
        var pending = new Stack<string>();
        pending.Push(RegistryPaths.RepositoriesRoot);
        while (pending.TryPop(out var directory))
        {
            var (manifests, layers, uploads) = (false, false, false);
            var children = await driver.ListAsync(directory, cancellationToken);
            for (var i = children.Count - 1; i >= 0; i--)
            {
                switch (StoragePath.FileName(children[i]))
                {
                    case "_manifests":
                        manifests = true;
                        break;
                    case "_layers":
                        layers = true;
                        break;
                    case "_uploads":
                        uploads = true;
                        break;
                    case var name when !name.StartsWith('_') && StoragePath.IsValid(children[i]):
                        pending.Push(children[i]);
                        break;
                }
            }

            if (manifests || layers || uploads)
            {
                yield return new RepositoryFolders(directory[prefixLength..], manifests, layers, uploads);
            }
        }
    }
}

/// <summary>A repository's name and which of the layout's folders it has.</summary>
public readonly record struct RepositoryFolders(string Name, bool HasManifests, bool HasLayers, bool HasUploads);
