using System.Collections;

namespace RegistryCloud.Admin;

/// <summary>
/// What a verb may touch of the outside world: its three streams and the environment that
/// carries <c>REGISTRY_*</c> overrides. Tests hand in their own.
/// </summary>
internal sealed record AdminConsole(
    TextReader In,
    TextWriter Out,
    TextWriter Error,
    IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>True when <see cref="In"/> is a terminal a person types into (passwords are then read without echo).</summary>
    public bool IsInteractive { get; init; }

    public static AdminConsole FromProcess()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }

        return new AdminConsole(Console.In, Console.Out, Console.Error, variables)
        {
            IsInteractive = !Console.IsInputRedirected,
        };
    }

    public void WriteError(string message) => Error.WriteLine($"error: {message}");

    public void WriteWarning(TextWriter writer, string message) => writer.WriteLine($"warning: {message}");
}
