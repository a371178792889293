using System.Globalization;
using System.Text;
using RegistryCloud.ManifestService.Manifests;
using RegistryCloud.ManifestService.Tags;
using RegistryCloud.Oci;
using RegistryCloud.Proxy;
using RegistryCloud.Storage;

namespace RegistryCloud.ManifestService.Proxy;

/// <summary>
/// The pull-through cache's manifest side: before a pull of a proxied repository is answered
/// from storage, makes storage current. A manifest by digest is fetched once and kept (its bytes
/// are checked against the digest); a tag is served from the cache until its ttl, then checked
/// with a HEAD, and fetched again only when it moved. Cached content is ordinary repository
/// content in Distribution's layout, so the pull itself, its event, GC and listings are unchanged.
/// </summary>
internal sealed partial class ManifestProxy(
    IStorageDriver driver, ManifestStore manifests, TagStore tags, UpstreamClient upstream, ProxyMetrics metrics, TimeProvider time, ILogger<ManifestProxy> logger)
{
    private const string Kind = "manifest";

    /// <summary>
    /// Brings <paramref name="reference"/> of the proxied repository into storage when it is
    /// missing or its tag is due for a check. Throws <see cref="UpstreamException"/> only when
    /// nothing cached can stand in.
    /// </summary>
    public async Task RefreshAsync(string repository, ProxyTarget target, Reference reference, int maxSize, CancellationToken cancellationToken)
    {
        if (reference.IsDigest)
        {
            if (await manifests.HasRevisionAsync(repository, reference.Digest, cancellationToken))
            {
                metrics.Hit(target.Upstream, Kind);
                return;
            }

            metrics.Miss(target.Upstream, Kind);
            await CountingFailuresAsync(target, FetchAsync(repository, target, reference.Digest.ToString(), reference.Digest, tag: null, maxSize, cancellationToken));
            return;
        }

        var tag = reference.Tag!;
        var cached = await tags.ResolveAsync(repository, tag, cancellationToken);
        if (cached is not null && await IsFreshAsync(repository, tag, target.Upstream.Ttl, cancellationToken))
        {
            metrics.Hit(target.Upstream, Kind);
            return;
        }

        if (cached is null)
        {
            metrics.Miss(target.Upstream, Kind);
            await CountingFailuresAsync(target, FetchAsync(repository, target, tag, expected: null, tag, maxSize, cancellationToken));
            return;
        }

        try
        {
            var (current, found) = await upstream.HeadManifestAsync(target, tag, cancellationToken);
            if (!found)
            {
                // The upstream no longer has the tag: the mirror must not keep answering for it.
                await tags.DeleteAsync(repository, tag, cancellationToken);
                return;
            }

            if (current is { } digest && digest == cached && await manifests.HasRevisionAsync(repository, digest, cancellationToken))
            {
                metrics.Hit(target.Upstream, Kind);
                await MarkValidatedAsync(repository, tag, cancellationToken);
                return;
            }

            metrics.Miss(target.Upstream, Kind);
            if (current is { } moved && await manifests.HasRevisionAsync(repository, moved, cancellationToken))
            {
                await tags.TagAsync(repository, tag, moved, cancellationToken);
                await MarkValidatedAsync(repository, tag, cancellationToken);
                return;
            }

            await FetchAsync(repository, target, tag, current, tag, maxSize, cancellationToken);
        }
        catch (UpstreamException e) when (e.Failure != UpstreamFailure.Invalid)
        {
            // Availability over freshness: the tag is served as cached until the upstream is back.
            metrics.Failed(target.Upstream, e.Failure);
            metrics.ServedStale(target.Upstream);
            LogServedStale(logger, repository, tag, target.Upstream.Name, e.Message);
        }
        catch (UpstreamException e)
        {
            metrics.Failed(target.Upstream, e.Failure);
            throw;
        }
    }

    /// <summary>
    /// Fetches a manifest and stores it as the repository's revision (and tag). The bytes must
    /// hash to the digest asked for, or to the one the upstream named: invariant 1 holds for
    /// cached manifests as for pushed ones.
    /// </summary>
    private async Task FetchAsync(
        string repository, ProxyTarget target, string reference, Digest? expected, string? tag, int maxSize, CancellationToken cancellationToken)
    {
        var fetched = await upstream.GetManifestAsync(target, reference, maxSize, cancellationToken);

        if (fetched is null)
        {
            return;
        }

        metrics.Fetched(target.Upstream, fetched.Content.Length);
        var claimed = expected ?? fetched.Digest;
        var digest = Digest.Compute(fetched.Content, claimed?.Algorithm ?? Digest.Sha256);
        if (claimed is { } want && want != digest)
        {
            throw new UpstreamException(UpstreamFailure.Invalid, $"{target.Upstream.Name} served a manifest for {want} whose bytes hash to {digest}; nothing was stored");
        }

        if (!ManifestParser.TryParse(fetched.Content, fetched.MediaType, out _, out var error))
        {
            throw new UpstreamException(UpstreamFailure.Invalid, $"{target.Upstream.Name} served an invalid manifest for {reference}: {error}");
        }

        await manifests.StoreCachedAsync(repository, digest, fetched.Content, cancellationToken);
        if (tag is not null)
        {
            await tags.TagAsync(repository, tag, digest, cancellationToken);
            await MarkValidatedAsync(repository, tag, cancellationToken);
        }

        LogCached(logger, repository, reference, digest.ToString(), target.Upstream.Name);
    }

    private async Task CountingFailuresAsync(ProxyTarget target, Task fetch)
    {
        try
        {
            await fetch;
        }
        catch (UpstreamException e)
        {
            metrics.Failed(target.Upstream, e.Failure);
            throw;
        }
    }

    private async Task<bool> IsFreshAsync(string repository, string tag, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (ttl == TimeSpan.Zero)
        {
            return true;
        }

        var record = await driver.GetContentAsync(RegistryPaths.TagValidatedAt(repository, tag), cancellationToken);
        return record is not null
            && DateTimeOffset.TryParse(Encoding.ASCII.GetString(record), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            && time.GetUtcNow() - at < ttl;
    }

    private Task MarkValidatedAsync(string repository, string tag, CancellationToken cancellationToken) =>
        driver.PutContentAsync(
            RegistryPaths.TagValidatedAt(repository, tag), Encoding.ASCII.GetBytes(time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Served {Repository}:{Tag} from the cache past its ttl: upstream {Upstream} is unavailable ({Reason})")]
    private static partial void LogServedStale(ILogger logger, string repository, string tag, string upstream, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cached {Repository}:{Reference} ({Digest}) from upstream {Upstream}")]
    private static partial void LogCached(ILogger logger, string repository, string reference, string digest, string upstream);
}
