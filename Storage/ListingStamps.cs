namespace RegistryCloud.Storage;

/// <summary>
/// Reads and renews the listing stamps (<see cref="RegistryPaths.TagsListingStamp"/>,
/// <see cref="RegistryPaths.CatalogListingStamp"/>). The stamp lives in the storage, beside the
/// layout it vouches for, so a writer without Redis (offline <c>registrycloud gc</c>) can still
/// make every replica's index of what it changed untrusted.
/// </summary>
public static class ListingStamps
{
    /// <summary>The stamp, or an empty string when none was ever written.</summary>
    public static async Task<string> ReadAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driver);
        var content = await driver.GetContentAsync(path, cancellationToken);
        return content is null ? "" : System.Text.Encoding.ASCII.GetString(content);
    }

    /// <summary>Writes a stamp no index was built for.</summary>
    public static Task RenewAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driver);
        return driver.PutContentAsync(path, System.Text.Encoding.ASCII.GetBytes(Guid.NewGuid().ToString("N")), cancellationToken);
    }
}
