using RegistryCloud.Configuration;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Retention;

/// <summary>
/// <c>policies.retention</c> for one repository: the first rule whose glob matches it decides which
/// tags go (<see cref="RetentionRule"/>). A tag is pushed when its current link was written and
/// pulled when ManifestService last recorded a pull of it or of its manifest; tags an
/// <c>immutabletags</c> rule covers are never removed.
/// </summary>
public sealed class TagRetention(PoliciesConfiguration policies)
{
    private readonly IReadOnlyList<(RepositoryGlob Glob, RetentionRule Rule, RepositoryGlob[] Keep)> _rules =
        [.. policies.Retention.Select(rule => (new RepositoryGlob(rule.Repository), rule, rule.KeepTags.Select(tag => new RepositoryGlob(tag)).ToArray()))];

    private readonly IReadOnlyList<(RepositoryGlob Repository, RepositoryGlob[] Tags)> _immutable =
        [.. policies.ImmutableTags.Select(rule => (new RepositoryGlob(rule.Repository), rule.Tags.Select(tag => new RepositoryGlob(tag)).ToArray()))];

    public bool Applies(string repository) => _rules.Any(rule => rule.Glob.IsMatch(repository));

    /// <summary>The tags of <paramref name="tags"/> the repository's rule removes at <paramref name="now"/>, with that rule.</summary>
    public IReadOnlyList<(TagFacts Tag, RetentionRule Rule)> Expired(string repository, IReadOnlyList<TagFacts> tags, DateTimeOffset now)
    {
        var match = _rules.FirstOrDefault(rule => rule.Glob.IsMatch(repository));
        if (match.Rule is not { } rule || (rule.OlderThan is null && rule.KeepLast is null))
        {
            return [];
        }

        var newest = rule.KeepLast is { } keepLast
            ? tags.OrderByDescending(tag => tag.PushedAt).Take(keepLast).Select(tag => tag.Name).ToHashSet(StringComparer.Ordinal)
            : null;
        var expired = new List<(TagFacts, RetentionRule)>();
        foreach (var tag in tags)
        {
            var old = (rule.OlderThan is { } olderThan && tag.PushedAt < now - olderThan) || (newest is not null && !newest.Contains(tag.Name));
            var kept = match.Keep.Any(glob => glob.IsMatch(tag.Name))
                || (rule.KeepPulledWithin is { } within && tag.PulledAt is { } pulled && pulled >= now - within)
                || _immutable.Any(immutable => immutable.Repository.IsMatch(repository) && immutable.Tags.Any(glob => glob.IsMatch(tag.Name)));
            if (old && !kept)
            {
                expired.Add((tag, rule));
            }
        }

        return expired;
    }

    /// <summary>Reads what retention weighs of each tag: where it points, when it was pushed, when last pulled.</summary>
    public static async Task<IReadOnlyList<TagFacts>> ReadAsync(IStorageDriver driver, string repository, CancellationToken cancellationToken)
    {
        var facts = new List<TagFacts>();
        foreach (var folder in await driver.ListAsync(RegistryPaths.TagsDirectory(repository), cancellationToken))
        {
            var tag = StoragePath.FileName(folder);
            if (!Tag.IsValid(tag)
                || await driver.StatAsync(RegistryPaths.TagCurrentLink(repository, tag), cancellationToken) is not { IsDirectory: false } current
                || await driver.GetContentAsync(RegistryPaths.TagCurrentLink(repository, tag), cancellationToken) is not { } link
                || RegistryPaths.ParseLink(link) is not { } digest)
            {
                continue;
            }

            var tagPull = await driver.StatAsync(RegistryPaths.TagPulledAt(repository, tag), cancellationToken);
            var digestPull = await driver.StatAsync(RegistryPaths.RevisionPulledAt(repository, digest), cancellationToken);
            DateTimeOffset? pulled = (tagPull?.ModifiedAt, digestPull?.ModifiedAt) switch
            {
                ({ } a, { } b) => a > b ? a : b,
                (var a, var b) => a ?? b,
            };
            facts.Add(new TagFacts(tag, digest, current.ModifiedAt, pulled));
        }

        return facts;
    }
}

/// <summary>A tag as retention weighs it.</summary>
public sealed record TagFacts(string Name, Digest Digest, DateTimeOffset PushedAt, DateTimeOffset? PulledAt);
