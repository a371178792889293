namespace RegistryCloud.Configuration;

/// <summary>Reads <c>policies</c>: <c>immutabletags</c>, <c>retention</c> and <c>quotas</c>, lists of rules.</summary>
internal static class PoliciesSectionReader
{
    public static PoliciesConfiguration Read(ConfigSection root)
    {
        var section = root.Section("policies");
        return new PoliciesConfiguration
        {
            ImmutableTags = [.. section.SectionList("immutabletags").Select(rule =>
                new ImmutableTagsRule(Repository(rule), TagPatterns(rule, "tags", ["*"]), rule.Path))],
            Retention = [.. section.SectionList("retention").Select(ReadRetention)],
            Quotas = [.. section.SectionList("quotas").Select(rule =>
                new QuotaRule(Repository(rule), rule.ByteCount("bytes") ?? throw rule.Error("bytes", "is required: the most bytes a repository may hold (e.g. 10GiB)"), rule.Path))],
        };
    }

    private static RetentionRule ReadRetention(ConfigSection rule)
    {
        var olderThan = rule.Duration("olderthan");
        if (olderThan == TimeSpan.Zero)
        {
            throw rule.Error("olderthan", "must be longer than 0s");
        }

        return new RetentionRule(
            Repository(rule),
            rule.Int("keeplast", minimum: 1),
            TagPatterns(rule, "keeptags", []),
            olderThan,
            rule.Duration("keeppulledwithin"),
            rule.Path);
    }

    private static string Repository(ConfigSection rule)
    {
        var repository = rule.RequiredString("repository");
        if (repository.Contains("***", StringComparison.Ordinal) || repository.StartsWith('/') || repository.EndsWith('/'))
        {
            throw rule.Error("repository", $"'{repository}' is not a repository glob (* within a path segment, ** across segments)");
        }

        return repository;
    }

    private static IReadOnlyList<string> TagPatterns(ConfigSection rule, string key, IReadOnlyList<string> absent)
    {
        if (!rule.Has(key))
        {
            return absent;
        }

        var patterns = rule.StringList(key);
        for (var i = 0; i < patterns.Count; i++)
        {
            if (patterns[i].Length is 0 or > 128 || patterns[i].Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-' or '*')))
            {
                throw new RegistryConfigurationException($"{rule.PathOf(key)}[{i}]: '{patterns[i]}' is not a tag pattern (tag characters and *)");
            }
        }

        return patterns;
    }
}
