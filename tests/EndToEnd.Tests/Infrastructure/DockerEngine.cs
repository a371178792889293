using System.Collections.Concurrent;
using System.Diagnostics;

namespace RegistryCloud.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A private Docker daemon in a temporary directory, so tests never touch (or depend on) the
/// machine's own Docker: its images, its configuration, its credentials.
/// </summary>
public sealed class DockerEngine : IAsyncDisposable
{
    private const int LogTailLines = 60;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly string _client;
    private readonly Process _daemon;
    private readonly ConcurrentQueue<string> _log;
    private readonly Dictionary<string, string?> _clientEnvironment;

    private DockerEngine(string directory, string client, Process daemon, ConcurrentQueue<string> log)
    {
        _directory = directory;
        _client = client;
        _daemon = daemon;
        _log = log;
        _clientEnvironment = new Dictionary<string, string?>
        {
            // Our own client configuration: no credential helpers or contexts from the machine.
            ["DOCKER_CONFIG"] = Path.Combine(directory, "config"),
            ["DOCKER_HOST"] = null,
            ["DOCKER_CONTEXT"] = null,
        };
    }

    public string Host => $"unix://{Path.Combine(_directory, "docker.sock")}";

    /// <summary>
    /// Starts dockerd with the vfs storage driver and no networking of its own (no bridge, no
    /// iptables), which is all pushing and pulling needs and all a sandbox allows.
    /// </summary>
    public static async Task<DockerEngine> StartAsync(IEnumerable<string> insecureRegistries, CancellationToken cancellationToken, string? registryMirror = null)
    {
        var dockerd = ProcessRunner.ResolveExecutable("dockerd", "/usr/sbin/dockerd");
        // The daemon's client must speak its API version; the distribution's client does.
        var client = ProcessRunner.ResolveExecutable("docker", "/usr/bin/docker");
        var directory = CreateShortTemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(directory, "config"));

        var startInfo = new ProcessStartInfo(dockerd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--storage-driver", "vfs",
            "--data-root", Path.Combine(directory, "root"),
            "--exec-root", Path.Combine(directory, "exec"),
            "--pidfile", Path.Combine(directory, "docker.pid"),
            "-H", $"unix://{Path.Combine(directory, "docker.sock")}",
            "--iptables=false",
            "--ip6tables=false",
            "--bridge=none",
        ];
        var mirrors = registryMirror is null ? [] : new[] { "--registry-mirror", registryMirror };
        foreach (var argument in arguments.Concat(mirrors).Concat(insecureRegistries.SelectMany(r => new[] { "--insecure-registry", r })))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Remove("DOCKER_HOST");
        var log = new ConcurrentQueue<string>();
        var daemon = new Process { StartInfo = startInfo };
        daemon.OutputDataReceived += (_, e) => Record(log, e.Data);
        daemon.ErrorDataReceived += (_, e) => Record(log, e.Data);
        try
        {
            daemon.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception)
        {
            daemon.Dispose();
            Directory.Delete(directory, recursive: true);
            throw new InvalidOperationException($"Could not start {dockerd}: {e.Message}", e);
        }

        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        var engine = new DockerEngine(directory, client, daemon, log);
        try
        {
            await engine.WaitUntilAnsweringAsync(cancellationToken);
            return engine;
        }
        catch (Exception startError)
        {
            try
            {
                await engine.DisposeAsync();
            }
            catch (Exception cleanupError)
            {
                throw new InvalidOperationException(
                    $"{startError.Message}{Environment.NewLine}(cleaning up after it failed too: {cleanupError.Message})", startError);
            }

            throw;
        }
    }

    /// <summary>Runs the docker client against this daemon (3 minutes at most).</summary>
    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(
            _client,
            arguments.Prepend(Host).Prepend("-H"),
            ProcessRunner.DefaultTimeout,
            _clientEnvironment,
            TestContext.Current.CancellationToken);

    /// <summary>Runs the docker client with <paramref name="standardInput"/> on its stdin (<c>login --password-stdin</c>).</summary>
    public Task<ProcessResult> RunWithInputAsync(string standardInput, params string[] arguments) =>
        ProcessRunner.RunAsync(
            _client,
            arguments.Prepend(Host).Prepend("-H"),
            ProcessRunner.DefaultTimeout,
            _clientEnvironment,
            TestContext.Current.CancellationToken,
            standardInput);

    /// <summary>Runs the docker client and throws, with its output and dockerd's log, unless it exits 0.</summary>
    public async Task<ProcessResult> RunSuccessfullyAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"docker {arguments[0]} failed.{Environment.NewLine}{result}{Environment.NewLine}" +
                $"dockerd log (tail):{Environment.NewLine}{LogTail()}");
        }

        return result;
    }

    /// <summary>The last lines dockerd logged, for failure messages.</summary>
    public string LogTail() => string.Join(Environment.NewLine, _log);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopDaemonAsync();
        }
        finally
        {
            _daemon.Dispose();
            // vfs keeps a full copy of every layer: never leave it behind.
            if (Directory.Exists(_directory))
            {
                await UnmountLeftoversAsync();
                Directory.Delete(_directory, recursive: true);
            }
        }
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        ProcessResult? last = null;
        while (deadline.Elapsed < StartTimeout)
        {
            if (_daemon.HasExited)
            {
                // The parameterless wait drains the output readers, so the log tail is complete.
                _daemon.WaitForExit();
                throw new InvalidOperationException(
                    $"dockerd exited with code {_daemon.ExitCode} while starting.{Environment.NewLine}" +
                    $"dockerd log (tail):{Environment.NewLine}{LogTail()}");
            }

            last = await ProcessRunner.RunAsync(
                _client,
                ["-H", Host, "version", "--format", "{{.Server.Version}}"],
                TimeSpan.FromSeconds(10),
                _clientEnvironment,
                cancellationToken);
            if (last.Succeeded)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        throw new TimeoutException(
            $"dockerd did not answer on {Host} within {StartTimeout}.{Environment.NewLine}" +
            $"last client attempt:{Environment.NewLine}{last}{Environment.NewLine}" +
            $"dockerd log (tail):{Environment.NewLine}{LogTail()}");
    }

    private async Task StopDaemonAsync()
    {
        if (_daemon.HasExited)
        {
            return;
        }

        // SIGTERM lets dockerd stop its containerd and unmount what it mounted.
        await ProcessRunner.RunAsync(
            ProcessRunner.ResolveExecutable("kill", "/bin/kill", "/usr/bin/kill"),
            ["-TERM", _daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(10),
            environment: null,
            CancellationToken.None);
        using var stopTimeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _daemon.WaitForExitAsync(stopTimeout.Token);
        }
        catch (OperationCanceledException)
        {
            _daemon.Kill(entireProcessTree: true);
            await _daemon.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// dockerd makes its data root a private bind mount of itself and only undoes that on a clean
    /// shutdown; after a failed start the mount is still there and the directory cannot be deleted.
    /// </summary>
    private async Task UnmountLeftoversAsync()
    {
        var prefix = _directory + Path.DirectorySeparatorChar;
        // mountinfo: the fifth field is the mount point.
        var mountPoints = File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4])
            .Where(point => point == _directory || point.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(point => point.Length);
        foreach (var mountPoint in mountPoints)
        {
            var umount = ProcessRunner.ResolveExecutable("umount", "/usr/bin/umount", "/bin/umount");
            var result = await ProcessRunner.RunAsync(umount, [mountPoint], TimeSpan.FromSeconds(30), null, CancellationToken.None);
            if (!result.Succeeded)
            {
                await ProcessRunner.RunAsync(umount, ["--lazy", mountPoint], TimeSpan.FromSeconds(30), null, CancellationToken.None);
            }
        }
    }

    private static void Record(ConcurrentQueue<string> log, string? line)
    {
        if (line is null)
        {
            return;
        }

        log.Enqueue(line);
        while (log.Count > LogTailLines)
        {
            log.TryDequeue(out _);
        }
    }

    /// <summary>
    /// Unix socket paths are limited to 108 bytes, so the daemon lives under a short path even
    /// when TMPDIR is long.
    /// </summary>
    private static string CreateShortTemporaryDirectory()
    {
        var root = Path.GetTempPath().Length <= 40 ? Path.GetTempPath() : "/tmp";
        var directory = Path.Combine(root, $"rcd-{Guid.NewGuid():N}"[..12]);
        Directory.CreateDirectory(directory);
        return directory;
    }
}
