using RegistryCloud.Storage;

namespace RegistryCloud.ManifestService.Listings;

/// <summary>
/// What an index lists, read from the storage (the source of truth): every name, whether one name
/// is there now, and the stamp an index of it must have been built for.
/// </summary>
internal sealed record ListingSource(
    string IndexName,
    string StampPath,
    Func<CancellationToken, IAsyncEnumerable<string>> Walk,
    Func<string, CancellationToken, Task<bool>> ExistsAsync)
{
    /// <summary>A repository's tags: the folders under <c>_manifests/tags</c>, as the tags list has always read them.</summary>
    public static ListingSource Tags(IStorageDriver driver, string repository) => new(
        "tags:" + repository,
        RegistryPaths.TagsListingStamp(repository),
        cancellationToken => TagFoldersAsync(driver, repository, cancellationToken),
        async (tag, cancellationToken) => await driver.StatAsync(RegistryPaths.TagDirectory(repository, tag), cancellationToken) is { IsDirectory: true });

    /// <summary>The repositories: every folder holding <c>_manifests</c> (<see cref="Catalog.RepositoryCatalog"/>).</summary>
    public static ListingSource Catalog(IStorageDriver driver) => new(
        "catalog",
        RegistryPaths.CatalogListingStamp,
        cancellationToken => Listings.CatalogWalk.RepositoriesAsync(driver, cancellationToken),
        async (repository, cancellationToken) =>
            await driver.StatAsync(RegistryPaths.ManifestsDirectory(repository), cancellationToken) is { IsDirectory: true });

    private static async IAsyncEnumerable<string> TagFoldersAsync(
        IStorageDriver driver, string repository, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var child in await driver.ListAsync(RegistryPaths.TagsDirectory(repository), cancellationToken))
        {
            yield return StoragePath.FileName(child);
        }
    }
}
