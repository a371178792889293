using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RegistryCloud.Configuration;

/// <summary>
/// Applies <c>REGISTRY_&lt;SECTION&gt;_&lt;KEY&gt;...</c> variables to the YAML tree before it is
/// read, as Distribution's parser does: variables in ordinal order (so <c>REGISTRY_STORAGE</c>
/// comes before <c>REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY</c>), one path segment per
/// <c>_</c>, keys matched without regard to case, list entries by index (an index one past
/// the end appends), missing sections created. A value is YAML when it reads as a list or a
/// section (<c>[a, b]</c>, <c>abc: xyz</c>) or is quoted; otherwise it is taken as written.
/// </summary>
internal static class EnvironmentOverrides
{
    public const string Prefix = "REGISTRY_";

    public const string ConfigurationPathVariable = "REGISTRY_CONFIGURATION_PATH";

    // Distribution matches Go field names; these four differ from their YAML keys.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["notifications.eventconfig"] = "events",
        ["health.filecheckers"] = "file",
        ["health.httpcheckers"] = "http",
        ["health.tcpcheckers"] = "tcp",
    };

    private static readonly string[] StorageSettings = ["maintenance", "cache", "delete", "redirect", "tag"];

    public static void Apply(YamlMappingNode root, IReadOnlyDictionary<string, string?> environment, ConfigContext context)
    {
        var variables = environment
            .Where(pair => pair.Key.StartsWith(Prefix, StringComparison.Ordinal)
                && pair.Key != ConfigurationPathVariable
                && pair.Value is not null)
            .OrderBy(pair => pair.Key, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            var segments = name[Prefix.Length..].ToLowerInvariant().Split('_');
            if (segments.Any(segment => segment.Length == 0))
            {
                context.Warn($"{name}: not a configuration key (empty segment); ignored");
                continue;
            }

            ApplyOne(root, name, segments, value!, context);
        }
    }

    private static void ApplyOne(YamlMappingNode root, string name, string[] segments, string value, ConfigContext context)
    {
        YamlNode current = root;
        var path = string.Empty;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = Aliases.GetValueOrDefault(Join(path, segments[i]), segments[i]);
            var last = i == segments.Length - 1;
            if (path == "redis" && segment == "options" && !last)
            {
                // Distribution 3.x inlines go-redis options; REGISTRY_REDIS_OPTIONS_X still works there.
                continue;
            }

            if (current is YamlSequenceNode sequence)
            {
                if (!int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > sequence.Children.Count)
                {
                    throw new RegistryConfigurationException(
                        $"{name}: '{segment}' is not an index of {path}, which has {sequence.Children.Count} entries");
                }

                if (last)
                {
                    SetItem(sequence, index, Parse(name, value, context));
                    return;
                }

                if (index == sequence.Children.Count || ConfigSection.IsNull(sequence.Children[index]))
                {
                    SetItem(sequence, index, NewContainer(name, segments[i + 1], context));
                }

                current = sequence.Children[index];
                path += $"[{index}]";
                if (current is YamlScalarNode)
                {
                    throw new RegistryConfigurationException($"{name}: {path} is a single value, not a section");
                }

                continue;
            }

            var mapping = (YamlMappingNode)current;
            var key = FindKey(mapping, segment) ?? new YamlScalarNode(segment);
            if (last)
            {
                mapping.Children[key] = path.Length == 0 && segment == "storage"
                    ? ChooseStorage(mapping, key, Parse(name, value, context))
                    : Parse(name, value, context);
                return;
            }

            var child = mapping.Children.TryGetValue(key, out var existing) ? existing : null;
            if (child is null || ConfigSection.IsNull(child))
            {
                child = NewContainer(name, segments[i + 1], context);
                mapping.Children[key] = child;
            }
            else if (child is YamlScalarNode { Value: { } driver } && path.Length == 0 && segment is "storage" or "auth")
            {
                // "storage: inmemory" is shorthand for "storage: {inmemory: }", so its settings can be added.
                child = new YamlMappingNode { { driver, new YamlScalarNode() } };
                mapping.Children[key] = child;
            }
            else if (child is YamlScalarNode)
            {
                throw new RegistryConfigurationException($"{name}: {Join(path, segment)} is a single value, not a section");
            }

            current = child;
            path = Join(path, segment);
        }
    }

    /// <summary>
    /// <c>REGISTRY_STORAGE=inmemory</c> picks the driver: the file's driver and its parameters go,
    /// its delete, cache, maintenance, redirect and tag settings stay.
    /// </summary>
    private static YamlNode ChooseStorage(YamlMappingNode root, YamlNode key, YamlNode value)
    {
        if (value is not YamlScalarNode { Value: { Length: > 0 } driver })
        {
            return value;
        }

        var storage = new YamlMappingNode();
        if (root.Children.TryGetValue(key, out var existing) && existing is YamlMappingNode previous)
        {
            foreach (var (name, setting) in previous.Children)
            {
                if (name is YamlScalarNode { Value: { } text } && StorageSettings.Contains(text))
                {
                    storage.Add(name, setting);
                }
            }
        }

        storage.Add(driver.Trim().ToLowerInvariant(), new YamlScalarNode());
        return storage;
    }

    private static YamlNode Parse(string name, string value, ConfigContext context)
    {
        YamlNode node = new YamlScalarNode(value);
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(value));
            var parsed = stream.Documents.Count == 1 ? stream.Documents[0].RootNode : null;
            var quoted = value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0];
            if (parsed is YamlMappingNode or YamlSequenceNode
                || (quoted && parsed is YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted }))
            {
                node = parsed;
            }
        }
        catch (YamlException)
        {
            // Not YAML: the value is plain text, as written.
        }

        context.MarkFromEnvironment(node, name, value);
        return node;
    }

    private static YamlScalarNode? FindKey(YamlMappingNode mapping, string segment) =>
        mapping.Children.Keys.OfType<YamlScalarNode>()
            .FirstOrDefault(key => string.Equals(key.Value, segment, StringComparison.OrdinalIgnoreCase));

    private static YamlNode NewContainer(string name, string nextSegment, ConfigContext context)
    {
        YamlNode container = nextSegment.All(char.IsAsciiDigit) ? new YamlSequenceNode() : new YamlMappingNode();
        context.MarkFromEnvironment(container, name, raw: null);
        return container;
    }

    private static void SetItem(YamlSequenceNode sequence, int index, YamlNode item)
    {
        if (index == sequence.Children.Count)
        {
            sequence.Children.Add(item);
        }
        else
        {
            sequence.Children[index] = item;
        }
    }

    private static string Join(string path, string segment) => path.Length == 0 ? segment : $"{path}.{segment}";
}
