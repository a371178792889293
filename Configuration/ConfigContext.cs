using YamlDotNet.RepresentationModel;

namespace RegistryCloud.Configuration;

/// <summary>
/// State shared while one configuration is read: the warnings so far, the sections opened
/// (to report their unread keys at the end), and which nodes came from which environment variable.
/// </summary>
internal sealed class ConfigContext
{
    private readonly Dictionary<YamlNode, (string Variable, string? Raw)> _fromEnvironment =
        new(ReferenceEqualityComparer.Instance);

    private readonly List<ConfigSection> _sections = [];

    public List<string> Warnings { get; } = [];

    public void Warn(string warning) => Warnings.Add(warning);

    /// <summary>
    /// Records that <paramref name="variable"/> set <paramref name="node"/> and everything in it;
    /// <paramref name="raw"/> is null for a section a variable only created on its way down.
    /// </summary>
    public void MarkFromEnvironment(YamlNode node, string variable, string? raw)
    {
        _fromEnvironment[node] = (variable, raw);
        foreach (var child in Children(node))
        {
            MarkFromEnvironment(child, variable, raw);
        }
    }

    /// <summary>The variable that set <paramref name="node"/>, and its text before YAML parsing.</summary>
    public bool TryGetEnvironmentOrigin(YamlNode node, out string variable, out string? raw)
    {
        var found = _fromEnvironment.TryGetValue(node, out var origin);
        (variable, raw) = origin;
        return found;
    }

    public ConfigSection Open(string path, YamlMappingNode? node)
    {
        var section = new ConfigSection(this, path, node);
        _sections.Add(section);
        return section;
    }

    /// <summary>An error for the value at <paramref name="path"/>, naming the variable if one set it.</summary>
    public RegistryConfigurationException Error(string path, YamlNode? node, string message) =>
        new(node is not null && TryGetEnvironmentOrigin(node, out var variable, out _)
            ? $"{path}: {message} (from {variable})"
            : $"{path}: {message}");

    public void WarnUnreadKeys()
    {
        foreach (var section in _sections)
        {
            foreach (var (key, value) in section.UnreadEntries())
            {
                Warn(TryGetEnvironmentOrigin(value, out var variable, out _)
                    ? $"{section.PathOf(key)}: unknown key (from {variable})"
                    : $"{section.PathOf(key)}: unknown key");
            }
        }
    }

    private static IEnumerable<YamlNode> Children(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.SelectMany(pair => new[] { pair.Key, pair.Value }),
        YamlSequenceNode sequence => sequence.Children,
        _ => [],
    };
}
