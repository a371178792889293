using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RegistryCloud.Deploy.Tests;

/// <summary>What <c>deploy/validate/validate.mjs</c> answered: its exit code and both streams.</summary>
internal sealed record ValidatorRun(int ExitCode, string Output, string Errors)
{
    /// <summary>How many objects the validator says it found valid (its summary line), or -1.</summary>
    public int ValidObjects
    {
        get
        {
            var match = Regex.Match(Output, @"^(\d+) object\(s\) valid against Kubernetes ", RegexOptions.Multiline);
            return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
        }
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Errors}";
}

/// <summary>
/// Runs the offline schema validator (Node.js, <c>deploy/validate</c>) and <c>kubectl kustomize</c>.
/// The validator's packages are restored once with <c>npm ci</c> from the committed lockfile when a
/// fresh clone has none (test.sh and .ci/run restore them first; this keeps a bare
/// <c>dotnet test</c> working too).
/// </summary>
internal static class SchemaValidationRunner
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private static readonly Lazy<string> Restored = new(Restore);

    public static string ValidatorDirectory { get; } = Path.Combine(Rendered.RepositoryRoot, "deploy", "validate");

    /// <summary>Validates YAML given on stdin, or the files given (relative to the repository root).</summary>
    public static ValidatorRun Validate(string? stdin, params string[] files)
    {
        var node = Restored.Value;
        var (exitCode, output, errors) = Run(node, [Path.Combine(ValidatorDirectory, "validate.mjs"), .. files], stdin, Rendered.RepositoryRoot);
        return new ValidatorRun(exitCode, output, errors);
    }

    /// <summary>The overlay as <c>kubectl kustomize</c> prints it.</summary>
    public static string Render(string overlay)
    {
        var kubectl = File.Exists(Rendered.Kubectl) ? Rendered.Kubectl : FindOnPath("kubectl")
            ?? throw new InvalidOperationException("kubectl was not found: these tests render the kustomize overlays with it (install kubectl).");
        var directory = Path.Combine(Rendered.RepositoryRoot, "deploy", "kubernetes", "overlays", overlay);
        var (exitCode, output, errors) = Run(kubectl, ["kustomize", directory], null, Rendered.RepositoryRoot);
        Assert.True(exitCode == 0, $"kubectl kustomize {directory} failed ({exitCode}): {errors}");
        return output;
    }

    private static string Restore()
    {
        var node = FindOnPath("node")
            ?? throw new InvalidOperationException("node was not found on PATH: the manifest schema validator runs on Node.js 18+ (apt-get install nodejs npm).");
        if (!File.Exists(Path.Combine(ValidatorDirectory, "node_modules", "kubernetes-models", "package.json")))
        {
            var npm = FindOnPath("npm")
                ?? throw new InvalidOperationException($"npm was not found on PATH: restore the validator with `npm ci --prefix {ValidatorDirectory}` (apt-get install npm).");
            var (exitCode, output, errors) = Run(npm, ["ci", "--prefix", ValidatorDirectory, "--no-audit", "--no-fund"], null, ValidatorDirectory);
            Assert.True(exitCode == 0, $"npm ci --prefix {ValidatorDirectory} failed ({exitCode}):\n{output}\n{errors}");
        }

        return node;
    }

    private static (int ExitCode, string Output, string Errors) Run(string file, IEnumerable<string> arguments, string? stdin, string workingDirectory)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(RunTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish in {RunTimeout}");
        }

        return (process.ExitCode, output.Result, errors.Result);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
