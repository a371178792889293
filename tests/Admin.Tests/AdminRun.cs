namespace RegistryCloud.Admin.Tests;

/// <summary>What one run of the tool printed and answered.</summary>
internal sealed record AdminResult(int ExitCode, string Out, string Error)
{
    /// <summary>A usage or input error never shows a stack trace.</summary>
    public bool HasStackTrace => Error.Contains("   at ", StringComparison.Ordinal) || Out.Contains("   at ", StringComparison.Ordinal);
}

/// <summary>Runs the <c>registrycloud</c> command line in process, with its own streams and environment.</summary>
internal static class AdminRun
{
    public static string SeedPath => Path.Combine(AppContext.BaseDirectory, "Seed", "config.yml");

    public static async Task<AdminResult> RunAsync(
        string[] args, string stdin = "", params (string Name, string? Value)[] environment)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new AdminConsole(
            new StringReader(stdin),
            output,
            error,
            environment.ToDictionary(variable => variable.Name, variable => variable.Value, StringComparer.Ordinal));
        var exitCode = await AdminApp.RunAsync(args, console, TestContext.Current.CancellationToken);
        return new AdminResult(exitCode, output.ToString(), error.ToString());
    }

    public static Task<AdminResult> RunAsync(params string[] args) => RunAsync(args, stdin: "");

    /// <summary>Writes a config.yml into <paramref name="directory"/> and returns its path.</summary>
    public static string WriteConfig(string directory, string yaml, string name = "config.yml")
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, yaml);
        return path;
    }
}
