using System.Globalization;

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
                new QuotaRule(Repository(rule), Bytes(rule, "bytes") ?? throw rule.Error("bytes", "is required: the most bytes a repository may hold (e.g. 10GiB)"), rule.Path))],
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

    /// <summary>A byte count: a whole number, with an optional unit (B, KB, MB, GB, TB, or KiB, MiB, GiB, TiB).</summary>
    private static long? Bytes(ConfigSection rule, string key)
    {
        if (rule.String(key) is not { } text)
        {
            return null;
        }

        var trimmed = text.Trim();
        var split = trimmed.Length;
        while (split > 0 && char.IsAsciiLetter(trimmed[split - 1]))
        {
            split--;
        }

        long? multiplier = trimmed[split..].ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "KB" => 1_000,
            "MB" => 1_000_000,
            "GB" => 1_000_000_000,
            "TB" => 1_000_000_000_000,
            "KIB" => 1L << 10,
            "MIB" => 1L << 20,
            "GIB" => 1L << 30,
            "TIB" => 1L << 40,
            _ => null,
        };
        if (multiplier is null
            || !long.TryParse(trimmed.AsSpan(0, split).TrimEnd(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count <= 0
            || count > long.MaxValue / multiplier)
        {
            throw rule.Error(key, $"'{text}' is not a byte count (e.g. 500MB, 10GiB)");
        }

        return count * multiplier;
    }
}
