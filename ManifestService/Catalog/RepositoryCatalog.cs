using RegistryCloud.ManifestService.Listings;
using RegistryCloud.Storage;

namespace RegistryCloud.ManifestService.Catalog;

/// <summary>
/// The repositories of the registry, a page at a time: from the catalog index when it answers,
/// else walked from the storage and sorted (no Redis, Redis down, a rebuild held by another replica).
/// </summary>
internal sealed class RepositoryCatalog(IStorageDriver driver, ListingIndexes listings)
{
    /// <summary>Up to <paramref name="count"/> repositories after <paramref name="after"/> in ordinal order.</summary>
    public async Task<IReadOnlyList<string>> PageAsync(string? after, int count, CancellationToken cancellationToken) =>
        await listings.CatalogPageAsync(after, count, cancellationToken)
        ?? SortedNames.After(await ListAsync(cancellationToken), after, count);


    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var repositories = new List<string>();
        await foreach (var repository in CatalogWalk.RepositoriesAsync(driver, cancellationToken))
        {
            repositories.Add(repository);
        }

        repositories.Sort(StringComparer.Ordinal);
        return repositories;
    }
}
