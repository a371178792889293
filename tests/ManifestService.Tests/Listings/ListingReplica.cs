using Microsoft.Extensions.Logging.Abstractions;
using RegistryCloud.ManifestService.Catalog;
using RegistryCloud.ManifestService.Listings;
using RegistryCloud.ManifestService.Tags;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using StackExchange.Redis;

namespace RegistryCloud.ManifestService.Tests.Listings;

/// <summary>One ManifestService replica's listing stores, on a storage and a Redis connection of the test's choosing.</summary>
internal sealed class ListingReplica(IStorageDriver driver, IConnectionMultiplexer? redis)
{
    public static readonly Digest Manifest = Digest.Compute("manifest"u8, Digest.Sha256);

    public ListingIndexes Indexes { get; } = new(driver, NullLogger<ListingIndexes>.Instance, redis);

    public TagStore Tags => new(driver, Indexes);

    public RepositoryCatalog Catalog => new(driver, Indexes);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Every tag, page by page as a client follows <c>Link</c>.</summary>
    public async Task<List<string>> AllTagsAsync(string repository, int pageSize = 7)
    {
        var all = new List<string>();
        while (await Tags.PageAsync(repository, all.Count == 0 ? null : all[^1], pageSize, Token) is { Count: > 0 } page)
        {
            all.AddRange(page);
        }

        return all;
    }

    /// <summary>Every repository, page by page.</summary>
    public async Task<List<string>> AllRepositoriesAsync(int pageSize = 7)
    {
        var all = new List<string>();
        while (await Catalog.PageAsync(all.Count == 0 ? null : all[^1], pageSize, Token) is { Count: > 0 } page)
        {
            all.AddRange(page);
        }

        return all;
    }

    /// <summary>A repository as a manifest PUT makes it: a revision link, then the catalog write.</summary>
    public async Task CreateRepositoryAsync(string repository)
    {
        await driver.PutContentAsync(RegistryPaths.ManifestRevisionLink(repository, Manifest), RegistryPaths.LinkContent(Manifest), Token);
        await Indexes.RepositoryWrittenAsync(repository);
    }

    public Task TagAsync(string repository, string tag) => Tags.TagAsync(repository, tag, Manifest, Token);
}
