using System.Text.RegularExpressions;

namespace RegistryCloud.AppHost.Startup;

/// <summary>
/// Why a process stopped, read from its log line by line (keeping nothing else): the runtime's
/// "Unhandled exception." line, else the last line it wrote to stderr that is not part of a stack
/// trace. Its stdout is what it did, not why it stopped, and DCP's own <c>[sys]</c> lines are
/// about starting it; a process killed from outside leaves no reason, and gets none.
/// </summary>
internal sealed partial class FailureReason
{
    private const string Unhandled = "Unhandled exception. ";

    private string? _unhandled;
    private string? _lastError;

    public string? Text => (_unhandled ?? _lastError) is { } reason ? StartupMessages.OneLine(reason) : null;

    public void Add(LogLine line)
    {
        if (_unhandled is not null || !line.IsErrorMessage)
        {
            return;
        }

        // DCP prefixes each line with its time; console loggers colour theirs.
        var content = Escapes().Replace(Timestamp().Replace(line.Content, ""), "");
        var unhandled = content.IndexOf(Unhandled, StringComparison.Ordinal);
        if (unhandled >= 0)
        {
            _unhandled = content[(unhandled + Unhandled.Length)..];
            return;
        }

        // Stack frames ("   at ...") and their separators ("--- End of ...") say where, not why.
        if (string.IsNullOrWhiteSpace(content) || char.IsWhiteSpace(content[0])
            || content.StartsWith("---", StringComparison.Ordinal) || content.StartsWith("[sys]", StringComparison.Ordinal))
        {
            return;
        }

        _lastError = content;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z ", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]", RegexOptions.CultureInvariant)]
    private static partial Regex Escapes();
}
