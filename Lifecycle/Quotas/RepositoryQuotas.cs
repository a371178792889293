using System.Collections.Concurrent;
using RegistryCloud.Configuration;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Quotas;

/// <summary>
/// <c>policies.quotas</c>: the most bytes a repository may hold, decided by the first rule whose
/// glob matches it. A repository holds the blobs linked into it (layers, configs, manifests), each
/// counted once however many images share it; a blob another repository also holds counts in both.
/// <para>
/// A repository's usage is read from storage (its links and the blobs' sizes) and kept for
/// <see cref="UsageLifetime"/>, raised by what this process admits meanwhile. Pushes admitted at
/// the same moment on different replicas each see the usage before the others, so a repository
/// may end over its quota by what those pushes hold together; the next push sees it and is denied.
/// Nothing is read for a repository no rule covers.
/// </para>
/// </summary>
public sealed class RepositoryQuotas(IStorageDriver driver, PoliciesConfiguration policies, TimeProvider time)
{
    /// <summary>How long a usage read from storage is trusted: short, since other replicas push too.</summary>
    public static readonly TimeSpan UsageLifetime = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<(RepositoryGlob Glob, QuotaRule Rule)> _rules =
        [.. policies.Quotas.Select(rule => (new RepositoryGlob(rule.Repository), rule))];

    private readonly ConcurrentDictionary<string, Usage> _usage = new(StringComparer.Ordinal);

    /// <summary>Whether any rule covers the repository; when none does, every check admits at once.</summary>
    public bool Applies(string repository) => RuleFor(repository) is not null;

    /// <summary>
    /// Whether the repository may take <paramref name="bytes"/> more bytes: when not, the decision
    /// carries the message of the <c>DENIED</c> answer, naming the quota and the rule. With
    /// <paramref name="digest"/>, a blob the repository already holds adds nothing.
    /// </summary>
    public async Task<QuotaDecision> CheckAsync(string repository, long bytes, Digest? digest, CancellationToken cancellationToken)
    {
        if (RuleFor(repository) is not { } rule
            || (digest is { } held && await HoldsAsync(repository, held, cancellationToken)))
        {
            return QuotaDecision.AddsNothing;
        }

        var used = await UsedAsync(repository, cancellationToken);
        return used + bytes <= rule.Bytes
            ? new QuotaDecision(null, bytes)
            : new QuotaDecision(
                $"repository {repository} is limited to {rule.Bytes} bytes by {rule.Path}; it holds {used} bytes and this push would add {bytes}",
                0);
    }

    /// <summary>Counts what an admitted push added, once it is linked, in the usage this process keeps.</summary>
    public void Added(string repository, QuotaDecision decision)
    {
        if (decision.Adds > 0 && _usage.TryGetValue(repository, out var usage))
        {
            Interlocked.Add(ref usage.Bytes, decision.Adds);
        }
    }

    /// <summary>The bytes the repository holds, as storage says now (each linked blob once).</summary>
    public async Task<long> ReadUsageAsync(string repository, CancellationToken cancellationToken)
    {
        var counted = new HashSet<Digest>();
        long total = 0;
        foreach (var links in new[] { RegistryPaths.LayersDirectory(repository), RegistryPaths.ManifestRevisionsDirectory(repository) })
        {
            foreach (var algorithmFolder in await driver.ListAsync(links, cancellationToken))
            {
                var algorithm = StoragePath.FileName(algorithmFolder);
                foreach (var folder in await driver.ListAsync(algorithmFolder, cancellationToken))
                {
                    if (!Digest.TryParse($"{algorithm}:{StoragePath.FileName(folder)}", out var digest)
                        || counted.Contains(digest)
                        || await driver.StatAsync(folder + "/link", cancellationToken) is not { IsDirectory: false }
                        || await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken) is not { IsDirectory: false } data)
                    {
                        continue;
                    }

                    counted.Add(digest);
                    total += data.Size;
                }
            }
        }

        return total;
    }

    private QuotaRule? RuleFor(string repository)
    {
        foreach (var (glob, rule) in _rules)
        {
            if (glob.IsMatch(repository))
            {
                return rule;
            }
        }

        return null;
    }

    private async Task<bool> HoldsAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        await driver.StatAsync(RegistryPaths.LayerLink(repository, digest), cancellationToken) is { IsDirectory: false }
        || await driver.StatAsync(RegistryPaths.ManifestRevisionLink(repository, digest), cancellationToken) is { IsDirectory: false };

    private async Task<long> UsedAsync(string repository, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_usage.TryGetValue(repository, out var cached) && now - cached.ReadAt < UsageLifetime)
        {
            return Interlocked.Read(ref cached.Bytes);
        }

        var usage = new Usage(await ReadUsageAsync(repository, cancellationToken), now);
        _usage[repository] = usage;
        return usage.Bytes;
    }

    private sealed class Usage(long bytes, DateTimeOffset readAt)
    {
        public long Bytes = bytes;

        public DateTimeOffset ReadAt { get; } = readAt;
    }
}

/// <summary>A quota check: <see cref="Denied"/> is the refusal's message, or null when admitted with <see cref="Adds"/> bytes.</summary>
public readonly record struct QuotaDecision(string? Denied, long Adds)
{
    public static readonly QuotaDecision AddsNothing = new(null, 0);
}
