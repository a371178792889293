using System.Diagnostics;
using System.Text.RegularExpressions;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// A real Azurite blob service (tests/servers, installed by test.sh and .ci/run with npm ci) on a
/// loopback port the kernel picks, keeping everything in memory; one per test class, each test
/// with containers of its own (<see cref="NewContainerName"/>).
/// </summary>
public sealed partial class AzuriteServer : IAsyncLifetime
{
    /// <summary>Azurite's development account: its name and key are published, and only work against the emulator.</summary>
    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];
    private Process? _process;

    /// <summary>The blob endpoint, path-style as the emulator serves it: <c>http://127.0.0.1:port/devstoreaccount1</c>.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={ServiceUrl};";

    /// <summary>A container name no other test uses (the driver creates it on its first write).</summary>
    public static string NewContainerName() => "test-" + Guid.NewGuid().ToString("N");

    public async ValueTask InitializeAsync()
    {
        var executable = Path.Combine(RepositoryRoot(), "tests", "servers", "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: run 'npm ci --prefix tests/servers' (test.sh and .ci/run do).");
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--extentMemoryLimit", "512" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("azurite-blob did not start");
        _process.OutputDataReceived += (_, line) => Observe(line.Data);
        _process.ErrorDataReceived += (_, line) => Observe(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Generous: node starts slowly on a loaded two-core machine; a server that exits fails at once.
        var started = await Task.WhenAny(_listening.Task, _process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(90)));
        if (started != _listening.Task)
        {
            throw new InvalidOperationException("azurite-blob did not start listening: " + string.Join('\n', Output()));
        }

        ServiceUrl = new Uri(await _listening.Task, AccountName);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
        }
    }

    private string[] Output()
    {
        lock (_output)
        {
            return [.. _output];
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RegistryCloud.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("RegistryCloud.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"successfully listens on (http://[0-9.]+:[0-9]+)")]
    private static partial Regex ListeningLine();
}
