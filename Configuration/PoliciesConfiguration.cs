namespace RegistryCloud.Configuration;

/// <summary>
/// <c>policies</c>, RegistryCloud's own section: rules per repository glob (<c>*</c> within a path
/// segment, <c>**</c> across) that make tags immutable, remove tags by retention, and cap a
/// repository's stored bytes. Empty lists when absent. Each rule keeps its key path, so a refusal
/// can name the rule that made it.
/// </summary>
public sealed record PoliciesConfiguration
{
    /// <summary><c>policies.immutabletags</c>.</summary>
    public IReadOnlyList<ImmutableTagsRule> ImmutableTags { get; init; } = [];

    /// <summary><c>policies.retention</c>.</summary>
    public IReadOnlyList<RetentionRule> Retention { get; init; } = [];

    /// <summary><c>policies.quotas</c>.</summary>
    public IReadOnlyList<QuotaRule> Quotas { get; init; } = [];
}

/// <summary>Tags matching <see cref="Tags"/> (globs, default every tag) in matching repositories cannot be moved or deleted.</summary>
public sealed record ImmutableTagsRule(string Repository, IReadOnlyList<string> Tags, string Path);

/// <summary>
/// Which tags of matching repositories the collector removes: those older than
/// <see cref="OlderThan"/> and those beyond the <see cref="KeepLast"/> most recently pushed,
/// except tags matching <see cref="KeepTags"/> and tags pulled within <see cref="KeepPulledWithin"/>.
/// A rule with neither <see cref="OlderThan"/> nor <see cref="KeepLast"/> removes nothing.
/// </summary>
public sealed record RetentionRule(
    string Repository, int? KeepLast, IReadOnlyList<string> KeepTags, TimeSpan? OlderThan, TimeSpan? KeepPulledWithin, string Path);

/// <summary>The most bytes of blobs matching repositories may hold each (a blob linked into a repository counts once there).</summary>
public sealed record QuotaRule(string Repository, long Bytes, string Path);
