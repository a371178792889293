using System.Collections.Concurrent;
using RegistryCloud.Events.Redis;
using RegistryCloud.Storage;
using StackExchange.Redis;

namespace RegistryCloud.ManifestService.Listings;

/// <summary>
/// The tag and catalog indexes in Redis (<see cref="SortedNameIndex"/>): pages read from them, and
/// the writes that keep them true. They are derived data: a page is null whenever an index cannot
/// answer (no Redis configured, Redis down, a rebuild held by another replica), and the caller then
/// walks the storage as it always did. A write that cannot reach Redis renews the listing's storage
/// stamp instead, so no replica trusts the index it could not update.
/// </summary>
internal sealed partial class ListingIndexes(IStorageDriver driver, ILogger<ListingIndexes> logger, IConnectionMultiplexer? redis = null)
{
    /// <summary>A rebuild renews its lease with every batch; one that dies frees the index this long after.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>As long as a Redis call may take before the listing goes to storage instead.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private const int BatchSize = 1000;

    /// <summary>Reads of a name refused because another writer bumped it meanwhile, before the index is given up.</summary>
    private const int MaxApplyAttempts = 16;

    /// <summary>Rounds of rechecking writes that landed during a rebuild before it gives up.</summary>
    private const int MaxSwapRounds = 32;

    /// <summary>Repositories this process has put in the catalog index: a repository is never removed while the services run.</summary>
    private readonly ConcurrentDictionary<string, bool> _cataloged = new(StringComparer.Ordinal);

    public bool Enabled => redis is not null;

    /// <summary>Up to <paramref name="count"/> tags after <paramref name="after"/>, or null when the index cannot say.</summary>
    public Task<string[]?> TagsPageAsync(string repository, string? after, int count, CancellationToken cancellationToken) =>
        PageAsync(ListingSource.Tags(driver, repository), after, count, cancellationToken);

    /// <summary>Up to <paramref name="count"/> repositories after <paramref name="after"/>, or null when the index cannot say.</summary>
    public Task<string[]?> CatalogPageAsync(string? after, int count, CancellationToken cancellationToken) =>
        PageAsync(ListingSource.Catalog(driver), after, count, cancellationToken);

    /// <summary>After a tag was written or removed in the storage.</summary>
    public Task TagChangedAsync(string repository, string tag) =>
        WriteAsync(ListingSource.Tags(driver, repository), tag);

    /// <summary>After a manifest was stored in a repository, which may have made it.</summary>
    public async Task RepositoryWrittenAsync(string repository)
    {
        if (redis is not null && !_cataloged.ContainsKey(repository))
        {
            await WriteAsync(ListingSource.Catalog(driver), repository);
            _cataloged.TryAdd(repository, true);
        }
    }

    private async Task<string[]?> PageAsync(ListingSource source, string? after, int count, CancellationToken cancellationToken)
    {
        if (redis is null || !redis.IsConnected)
        {
            return null;
        }

        try
        {
            var index = new SortedNameIndex(redis.GetDatabase(), source.IndexName);
            if (await StampAsync(source, cancellationToken) is not { } stamp)
            {
                return null;
            }

            if (await index.ReadAsync(stamp, after, count).WaitAsync(Timeout, cancellationToken) is { } page)
            {
                return page;
            }

            return await RebuildAsync(index, source, stamp, cancellationToken)
                ? await index.ReadAsync(stamp, after, count).WaitAsync(Timeout, cancellationToken)
                : null;
        }
        catch (Exception error) when (RedisFailure.IsUnavailable(error, cancellationToken))
        {
            LogReadFailed(logger, source.IndexName, error.Message);
            return null;
        }
    }

    /// <summary>
    /// What an index of <paramref name="source"/> must have been built for: the catalog's stamp,
    /// written when missing so that each storage has its own (two registries sharing one Redis never
    /// trust each other's indexes), and for tags the repository's stamp after it; null when it
    /// cannot be written.
    /// </summary>
    private async Task<string?> StampAsync(ListingSource source, CancellationToken cancellationToken)
    {
        var storage = await ListingStamps.ReadAsync(driver, RegistryPaths.CatalogListingStamp, cancellationToken);
        if (storage.Length == 0)
        {
            try
            {
                await ListingStamps.RenewAsync(driver, RegistryPaths.CatalogListingStamp, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // A storage this process may not write to (a read-only mount): listings walk it.
                LogReadFailed(logger, source.IndexName, "the catalog stamp could not be written: " + error.Message);
                return null;
            }

            storage = await ListingStamps.ReadAsync(driver, RegistryPaths.CatalogListingStamp, cancellationToken);
        }

        return source.StampPath == RegistryPaths.CatalogListingStamp
            ? storage
            : storage + "/" + await ListingStamps.ReadAsync(driver, source.StampPath, cancellationToken);
    }

    /// <summary>
    /// Walks the storage into a new set under the rebuild lease, then rechecks the names written
    /// meanwhile until a swap finds none unchecked. False when another replica holds the lease or
    /// this one lost it.
    /// </summary>
    private async Task<bool> RebuildAsync(SortedNameIndex index, ListingSource source, string stamp, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        if (await index.TryLeaseAsync(token, Lease).WaitAsync(Timeout, cancellationToken) is not { } seen)
        {
            return false;
        }

        var swapped = false;
        try
        {
            var batch = new List<string>(BatchSize);
            var names = 0;
            await foreach (var name in source.Walk(cancellationToken))
            {
                batch.Add(name);
                names++;
                if (batch.Count == BatchSize)
                {
                    if (!await index.AddToBuildAsync(token, batch, Lease).WaitAsync(Timeout, cancellationToken))
                    {
                        return false;
                    }

                    batch.Clear();
                }
            }

            if (!await index.AddToBuildAsync(token, batch, Lease).WaitAsync(Timeout, cancellationToken))
            {
                return false;
            }

            for (var round = 0; round < MaxSwapRounds; round++)
            {
                var result = await index.TrySwapAsync(token, seen, stamp).WaitAsync(Timeout, cancellationToken);
                if (result < 0)
                {
                    swapped = result == -2;
                    if (swapped)
                    {
                        LogRebuilt(logger, source.IndexName, names);
                    }

                    return swapped;
                }

                var logged = await index.LoggedAsync(seen).WaitAsync(Timeout, cancellationToken);
                foreach (var name in logged)
                {
                    var present = await source.ExistsAsync(name, cancellationToken);
                    await index.SetInBuildAsync(token, name, present).WaitAsync(Timeout, cancellationToken);
                }

                seen += logged.Length;
            }

            return false;
        }
        finally
        {
            if (!swapped)
            {
                await ReleaseQuietlyAsync(index, token);
            }
        }
    }

    /// <summary>
    /// Sets one name's membership from the storage, read after its version was bumped. When Redis
    /// cannot be reached, or writers of the name keep racing, the index is made untrusted instead.
    /// The request's token is not used: once the storage changed, the index must follow even if
    /// the client has gone (each call is bounded by <see cref="Timeout"/>).
    /// </summary>
    private async Task WriteAsync(ListingSource source, string name)
    {
        if (redis is null)
        {
            return;
        }

        var none = CancellationToken.None;
        try
        {
            if (!redis.IsConnected)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected");
            }

            var index = new SortedNameIndex(redis.GetDatabase(), source.IndexName);
            var version = await index.BeginWriteAsync(name).WaitAsync(Timeout, none);
            for (var attempt = 0; attempt < MaxApplyAttempts; attempt++)
            {
                var present = await source.ExistsAsync(name, none);
                if (await index.ApplyAsync(name, version, present).WaitAsync(Timeout, none))
                {
                    return;
                }

                version = await index.VersionAsync(name).WaitAsync(Timeout, none);
            }

            await index.InvalidateAsync().WaitAsync(Timeout, none);
        }
        catch (Exception error) when (RedisFailure.IsUnavailable(error, none))
        {
            // The storage changed and the index could not follow: the stamp it was built for goes.
            LogWriteFailed(logger, source.IndexName, error.Message);
            await ListingStamps.RenewAsync(driver, source.StampPath, none);
        }
    }

    private async Task ReleaseQuietlyAsync(SortedNameIndex index, string token)
    {
        try
        {
            await index.ReleaseAsync(token).WaitAsync(Timeout);
        }
        catch (Exception error) when (RedisFailure.IsUnavailable(error, CancellationToken.None))
        {
            // The lease and the half-built set expire by themselves.
            LogReadFailed(logger, "rebuild release", error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listing index {Index} rebuilt from storage: {Names} names")]
    private static partial void LogRebuilt(ILogger logger, string index, int names);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing index {Index} not read, listing from storage: {Problem}")]
    private static partial void LogReadFailed(ILogger logger, string index, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing index {Index} not updated; its storage stamp is renewed so it is rebuilt: {Problem}")]
    private static partial void LogWriteFailed(ILogger logger, string index, string problem);
}
