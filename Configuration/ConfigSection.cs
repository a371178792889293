using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RegistryCloud.Configuration;

/// <summary>
/// One mapping of the YAML tree, read key by key. Every key read (or declared known) is
/// remembered, so whatever is left at the end is reported as an unknown key with its full path.
/// A missing or null section reads as empty, and a missing or null key as null.
/// </summary>
internal sealed class ConfigSection(ConfigContext context, string path, YamlMappingNode? node)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public string Path { get; } = path;

    public IEnumerable<string> Keys =>
        node?.Children.Keys.OfType<YamlScalarNode>().Select(key => key.Value ?? string.Empty) ?? [];

    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => Find(key) is not null;

    public string? String(string key)
    {
        var value = Find(key);
        return value is null ? null : Scalar(PathOf(key), value);
    }

    public string RequiredString(string key) =>
        String(key) is { Length: > 0 } value ? value : throw context.Error(PathOf(key), Find(key), "is required");

    public bool? Bool(string key) => String(key) switch
    {
        null => null,
        var text when text.ToLowerInvariant() is "true" or "yes" or "on" or "y" => true,
        var text when text.ToLowerInvariant() is "false" or "no" or "off" or "n" => false,
        var text => throw Error(key, $"'{text}' is not true or false"),
    };

    public int? Int(string key, int minimum = 0, int maximum = int.MaxValue)
    {
        if (String(key) is not { } text)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(key, $"'{text}' is not a whole number");
        }

        if (value < minimum)
        {
            throw Error(key, minimum == 0 ? $"'{text}' must not be negative" : $"'{text}' must be at least {minimum}");
        }

        return value <= maximum ? value : throw Error(key, $"'{text}' must be at most {maximum}");
    }

    public TimeSpan? Duration(string key)
    {
        if (String(key) is not { } text)
        {
            return null;
        }

        if (!GoDuration.TryParse(text, out var value))
        {
            throw Error(key, $"'{text}' is not a duration (e.g. 10ms, 5s, 1m)");
        }

        return value >= TimeSpan.Zero ? value : throw Error(key, $"'{text}' must not be negative");
    }

    /// <summary>A byte count: a whole number, with an optional unit (B, KB, MB, GB, TB, or KiB, MiB, GiB, TiB).</summary>
    public long? ByteCount(string key)
    {
        if (String(key) is not { } text)
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
            throw Error(key, $"'{text}' is not a byte count (e.g. 500MB, 10GiB)");
        }

        return count * multiplier;
    }

    /// <summary>One of a fixed set of lower-case words, compared without regard to case.</summary>
    public string? OneOf(string key, params string[] allowed)
    {
        if (String(key) is not { } text)
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        return allowed.Contains(lower) ? lower : throw Error(key, $"'{text}' is not one of {string.Join(", ", allowed)}");
    }

    /// <summary>A list of values; a single value reads as a list of one.</summary>
    public IReadOnlyList<string> StringList(string key)
    {
        var value = Find(key);
        var keyPath = PathOf(key);
        if (value is null || IsNull(value))
        {
            return [];
        }

        if (value is not YamlSequenceNode sequence)
        {
            return Scalar(keyPath, value) is { } single ? [single] : [];
        }

        return [.. sequence.Children.Select((item, index) => Scalar($"{keyPath}[{index}]", item)).OfType<string>()];
    }

    /// <summary>
    /// A list of values each read by <paramref name="parse"/> (a single value reads as a list of
    /// one); one it cannot read (null) stops start-up naming it: <c>key[1]: 'x' is not {what}</c>.
    /// </summary>
    public IReadOnlyList<T> ParsedList<T>(string key, Func<string, T?> parse, string what)
        where T : struct
    {
        var value = Find(key);
        var keyPath = PathOf(key);
        if (value is null || IsNull(value))
        {
            return [];
        }

        IEnumerable<(string Path, YamlNode Node)> items = value is YamlSequenceNode sequence
            ? sequence.Children.Select((item, index) => ($"{keyPath}[{index}]", item))
            : [(keyPath, value)];
        var parsed = new List<T>();
        foreach (var (itemPath, node) in items)
        {
            if (Scalar(itemPath, node) is { } text)
            {
                parsed.Add(parse(text) ?? throw context.Error(itemPath, node, $"'{text}' is not {what}"));
            }
        }

        return parsed;
    }

    /// <summary>A map of HTTP header name to values, as Distribution's <c>http.Header</c> fields.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers(string key)
    {
        var headers = Section(key);
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in headers.Keys)
        {
            if (!values.TryAdd(name, headers.StringList(name)))
            {
                throw headers.Error(name, $"repeats the header {values.Keys.First(other => string.Equals(other, name, StringComparison.OrdinalIgnoreCase))}; header names ignore case");
            }
        }

        return values;
    }

    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var map = Section(key);
        return map.Keys.ToDictionary(name => name, name => map.String(name) ?? string.Empty, StringComparer.Ordinal);
    }

    public ConfigSection Section(string key)
    {
        var value = Find(key);
        var keyPath = PathOf(key);
        return value switch
        {
            null => context.Open(keyPath, null),
            YamlMappingNode mapping => context.Open(keyPath, mapping),
            _ when IsNull(value) => context.Open(keyPath, null),
            YamlScalarNode scalar => throw context.Error(keyPath, value, $"expected a section of keys, found '{scalar.Value}'"),
            _ => throw context.Error(keyPath, value, "expected a section of keys, found a list"),
        };
    }

    public IReadOnlyList<ConfigSection> SectionList(string key)
    {
        var value = Find(key);
        var keyPath = PathOf(key);
        if (value is null || IsNull(value))
        {
            return [];
        }

        if (value is not YamlSequenceNode sequence)
        {
            throw context.Error(keyPath, value, "expected a list of sections");
        }

        return [.. sequence.Children.Select((item, index) => item switch
        {
            YamlMappingNode mapping => context.Open($"{keyPath}[{index}]", mapping),
            _ => throw context.Error($"{keyPath}[{index}]", item, "expected a section of keys"),
        })];
    }

    /// <summary>A key Distribution knows and RegistryCloud does not implement: warn, and read no further.</summary>
    public void NotImplemented(string key, string what)
    {
        if (Has(key))
        {
            context.Warn($"{PathOf(key)}: {what} is known to Distribution but not implemented by RegistryCloud; ignored");
        }
    }

    /// <summary>
    /// A key Distribution acts on that RegistryCloud reads (and prints back) but does not act on:
    /// warn, saying what happens instead. The caller decides whether the value read differs from
    /// what RegistryCloud does anyway.
    /// </summary>
    public void NotApplied(string key, string instead)
    {
        var origin = Find(key) is { } value && context.TryGetEnvironmentOrigin(value, out var variable, out _) ? $" (from {variable})" : "";
        context.Warn($"{PathOf(key)}: read but not applied by RegistryCloud; {instead}{origin}");
    }

    public RegistryConfigurationException Error(string key, string message) => context.Error(PathOf(key), Find(key), message);

    /// <summary>The keys nothing read, each with its value (to tell whether a variable set it).</summary>
    public IEnumerable<(string Key, YamlNode Value)> UnreadEntries() =>
        node?.Children
            .Where(pair => pair.Key is YamlScalarNode { Value: { } key } && !_read.Contains(key))
            .Select(pair => (((YamlScalarNode)pair.Key).Value!, pair.Value)) ?? [];

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private YamlNode? Find(string key)
    {
        if (node is null)
        {
            return null;
        }

        foreach (var (name, value) in node.Children)
        {
            if (name is YamlScalarNode { Value: { } text } && text == key)
            {
                _read.Add(key);
                return value;
            }
        }

        return null;
    }

    private string? Scalar(string keyPath, YamlNode value)
    {
        if (IsNull(value))
        {
            return null;
        }

        if (value is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        // A variable such as REGISTRY_REDIS_PASSWORD='a: b' parses as YAML into a mapping;
        // where a single value is expected, its text is what was meant.
        if (context.TryGetEnvironmentOrigin(value, out _, out var raw) && raw is not null)
        {
            return raw;
        }

        var found = value is YamlSequenceNode ? "a list" : "a section of keys";
        throw context.Error(keyPath, value, $"expected a single value, found {found}");
    }
}
