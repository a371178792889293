using System.Collections.Concurrent;
using RegistryCloud.Oci;

namespace RegistryCloud.BlobService.Blobs.Cache;

/// <summary>
/// What <see cref="BlobStore"/> asks of the cache. A failing backend never fails a request: the
/// call becomes a miss (or a skipped write), is counted, and is logged once per outage. A removal
/// that could not reach the backend is remembered here and retried before that entry is trusted
/// again, so a blob deleted during an outage is not reported present when Redis comes back.
/// </summary>
internal sealed partial class BlobDescriptorCache(
    IBlobDescriptorCache? backend,
    BlobDescriptorCacheOptions options,
    BlobDescriptorCacheMetrics metrics,
    TimeProvider time,
    ILogger<BlobDescriptorCache> logger)
{
    private const string ContentScope = "content";
    private const string RepositoryScope = "repository";

    private readonly ConcurrentDictionary<(string Repository, Digest Digest), DateTimeOffset> _pendingRemovals = new();
    private long _bypassUntilTicks;
    private int _failing;

    public async ValueTask<BlobDescriptor?> GetAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (backend is null)
        {
            return null;
        }

        try
        {
            var descriptor = await backend.GetAsync(digest, cancellationToken);
            Succeeded();
            metrics.Lookup(ContentScope, descriptor is not null);
            return descriptor;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            Failed("get", exception);
            return null;
        }
    }

    public async ValueTask<BlobDescriptor?> GetAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        if (backend is null)
        {
            return null;
        }

        if (Bypassed() || (!_pendingRemovals.IsEmpty && !await RetryRemovalAsync(repository, digest, cancellationToken)))
        {
            metrics.Lookup(RepositoryScope, hit: false);
            return null;
        }

        try
        {
            var descriptor = await backend.GetAsync(repository, digest, cancellationToken);
            Succeeded();
            metrics.Lookup(RepositoryScope, descriptor is not null);
            return descriptor;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            Failed("get", exception);
            return null;
        }
    }

    /// <summary>Content read from storage, or written under its digest.</summary>
    public async ValueTask SetAsync(BlobDescriptor descriptor, CancellationToken cancellationToken)
    {
        if (backend is not null)
        {
            await TryAsync("set", backend.SetAsync(descriptor, cancellationToken), cancellationToken);
        }
    }

    /// <summary>Membership read from storage.</summary>
    public async ValueTask FillAsync(string repository, BlobDescriptor descriptor, CancellationToken cancellationToken)
    {
        if (backend is not null && !Bypassed() && !_pendingRemovals.ContainsKey((repository, descriptor.Digest)))
        {
            await TryAsync("fill", backend.FillAsync(repository, descriptor, cancellationToken), cancellationToken);
        }
    }

    /// <summary>Membership this service has just written, and the content it names.</summary>
    public async ValueTask SetAsync(string repository, BlobDescriptor descriptor, CancellationToken cancellationToken)
    {
        if (backend is null)
        {
            return;
        }

        if (await TryAsync("set", backend.SetAsync(repository, descriptor, cancellationToken), cancellationToken))
        {
            // The new entry supersedes a removal still waiting to be retried.
            _pendingRemovals.TryRemove((repository, descriptor.Digest), out _);
        }

        await TryAsync("set", backend.SetAsync(descriptor, cancellationToken), cancellationToken);
    }

    /// <summary>The shared content is gone (the garbage collector removed it); best effort, as every entry expires.</summary>
    public async ValueTask RemoveAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (backend is not null)
        {
            await TryAsync("remove", backend.RemoveAsync(digest, cancellationToken), cancellationToken);
        }
    }

    /// <summary>The repository no longer holds the blob; called before the delete is answered.</summary>
    public async ValueTask RemoveAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        if (backend is null)
        {
            return;
        }

        if (!await TryAsync("remove", backend.RemoveAsync(repository, digest, cancellationToken), cancellationToken))
        {
            Remember(repository, digest);
        }
    }

    /// <summary>True when the entry may be read: no removal of it is pending, or the retry went through.</summary>
    private async ValueTask<bool> RetryRemovalAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var key = (repository, digest);
        if (!_pendingRemovals.TryGetValue(key, out var until))
        {
            return true;
        }

        if (until > time.GetUtcNow() && !await TryAsync("remove", backend!.RemoveAsync(repository, digest, cancellationToken), cancellationToken))
        {
            return false;
        }

        _pendingRemovals.TryRemove(key, out _);
        return true;
    }

    private void Remember(string repository, Digest digest)
    {
        // Past the entry's TTL the stale entry has expired on its own.
        var until = time.GetUtcNow() + options.Ttl;
        if (_pendingRemovals.Count >= options.MaxPendingRemovals)
        {
            var now = time.GetUtcNow();
            foreach (var (key, expiry) in _pendingRemovals)
            {
                if (expiry <= now)
                {
                    _pendingRemovals.TryRemove(key, out _);
                }
            }
        }

        if (_pendingRemovals.Count >= options.MaxPendingRemovals)
        {
            // Too many to track: trust no membership entry until every one written before now has expired.
            Interlocked.Exchange(ref _bypassUntilTicks, until.UtcTicks);
            _pendingRemovals.Clear();
            return;
        }

        _pendingRemovals[(repository, digest)] = until;
    }

    private bool Bypassed() => Interlocked.Read(ref _bypassUntilTicks) > time.GetUtcNow().UtcTicks;

    private async ValueTask<bool> TryAsync(string operation, ValueTask call, CancellationToken cancellationToken)
    {
        try
        {
            await call;
            Succeeded();
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            Failed(operation, exception);
            return false;
        }
    }

    private void Succeeded()
    {
        if (Volatile.Read(ref _failing) == 1 && Interlocked.Exchange(ref _failing, 0) == 1)
        {
            LogRecovered(logger);
        }
    }

    private void Failed(string operation, Exception exception)
    {
        metrics.Error(operation);
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            LogUnavailable(logger, operation, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The blob descriptor cache failed ({Operation}); requests go to storage until it answers again")]
    private static partial void LogUnavailable(ILogger logger, string operation, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The blob descriptor cache answers again")]
    private static partial void LogRecovered(ILogger logger);
}
