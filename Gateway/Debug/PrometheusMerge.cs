using System.Text;

namespace RegistryCloud.Gateway.Debug;

/// <summary>
/// Merges Prometheus text expositions (format 0.0.4) from several processes into one: every
/// sample gets the process's labels (<c>service</c>, <c>instance</c>), and the samples of one
/// metric family from different processes are written together under one <c>HELP</c> and
/// <c>TYPE</c>, because the format requires a family's lines to be contiguous.
/// </summary>
internal sealed class PrometheusMerge
{
    private readonly Dictionary<string, Family> _families = new(StringComparer.Ordinal);
    private readonly List<Family> _order = [];
    private readonly List<string> _comments = [];

    /// <summary>Adds one process's exposition, labelling each of its samples.</summary>
    public void Add(string exposition, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        var extra = FormatLabels(labels);
        Family? current = null;
        foreach (var raw in exposition.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line == "# EOF")
            {
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var name = FirstWord(line.AsSpan(7));
                current = FamilyOf(name);
                if (line[2] == 'H')
                {
                    current.Help ??= line;
                }
                else
                {
                    current.Type ??= line;
                }

                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            // A sample outside any declared family (untyped) is a family of its own name.
            var sampleName = SampleName(line);
            if (current is null || !sampleName.StartsWith(current.Name, StringComparison.Ordinal))
            {
                current = FamilyOf(sampleName);
            }

            current.Samples.Add(WithLabels(line, sampleName, extra));
        }
    }

    /// <summary>A comment line in the output, e.g. to say which process could not be scraped.</summary>
    public void Comment(string text) => _comments.Add("# " + text.ReplaceLineEndings(" "));

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var comment in _comments)
        {
            text.Append(comment).Append('\n');
        }

        foreach (var family in _order)
        {
            if (family.Help is not null)
            {
                text.Append(family.Help).Append('\n');
            }

            if (family.Type is not null)
            {
                text.Append(family.Type).Append('\n');
            }

            foreach (var sample in family.Samples)
            {
                text.Append(sample).Append('\n');
            }
        }

        return text.ToString();
    }

    private Family FamilyOf(string name)
    {
        if (!_families.TryGetValue(name, out var family))
        {
            family = new Family(name);
            _families.Add(name, family);
            _order.Add(family);
        }

        return family;
    }

    private static string FirstWord(ReadOnlySpan<char> text)
    {
        var end = text.IndexOf(' ');
        return (end < 0 ? text : text[..end]).ToString();
    }

    private static string SampleName(string line)
    {
        var end = line.AsSpan().IndexOfAny('{', ' ');
        return end < 0 ? line : line[..end];
    }

    /// <summary><c>name{a="b"} 1</c> → <c>name{a="b",service="x"} 1</c>; <c>name 1</c> → <c>name{service="x"} 1</c>.</summary>
    private static string WithLabels(string line, string name, string extra)
    {
        if (extra.Length == 0)
        {
            return line;
        }

        if (line.Length == name.Length || line[name.Length] != '{')
        {
            return $"{name}{{{extra}}}{line.AsSpan(name.Length)}";
        }

        var close = ClosingBrace(line, name.Length + 1);
        if (close < 0)
        {
            return line;
        }

        var separator = close == name.Length + 1 ? "" : ",";
        return string.Concat(line.AsSpan(0, close), separator.AsSpan(), extra.AsSpan(), line.AsSpan(close));
    }

    /// <summary>The index of the <c>}</c> that closes the label set, skipping quoted values with escapes.</summary>
    private static int ClosingBrace(string line, int start)
    {
        var quoted = false;
        for (var i = start; i < line.Length; i++)
        {
            switch (line[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '}' when !quoted:
                    return i;
            }
        }

        return -1;
    }

    private static string FormatLabels(IReadOnlyList<KeyValuePair<string, string>> labels) =>
        string.Join(",", labels.Select(label =>
            $"{label.Key}=\"{label.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\""));

    private sealed class Family(string name)
    {
        public string Name { get; } = name;

        public string? Help { get; set; }

        public string? Type { get; set; }

        public List<string> Samples { get; } = [];
    }
}
