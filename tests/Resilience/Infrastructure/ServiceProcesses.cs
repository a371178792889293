using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace RegistryCloud.Resilience.Tests.Infrastructure;

/// <summary>
/// The services' processes: kill one as the kernel's OOM killer or a crashed node would
/// (SIGKILL, nothing flushed), and start it again through Aspire's own start command, as the
/// dashboard's button does.
/// </summary>
/// <remarks>
/// The snapshot's <c>executable.pid</c> is DCP's <c>dotnet run</c>, not the service: the service
/// is its child process (<c>RegistryCloud.BlobService</c>). Killing the child is the real fault;
/// <c>dotnet run</c> then exits too and DCP reports the resource as exited.
/// </remarks>
public sealed class ServiceProcesses(DistributedApplication app)
{
    /// <summary>The snapshot property with the pid of the process DCP started (Aspire's KnownProperties, internal).</summary>
    private const string ExecutablePid = "executable.pid";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The pid of the service process itself (below DCP's <c>dotnet run</c>).</summary>
    public int ServicePid(string resource)
    {
        if (!app.ResourceNotifications.TryGetCurrentState(resource, out var current))
        {
            throw new InvalidOperationException($"The app has no resource '{resource}'.");
        }

        var property = current.Snapshot.Properties.FirstOrDefault(p => p.Name == ExecutablePid)?.Value
            ?? throw new InvalidOperationException($"'{resource}' has no {ExecutablePid} (state {current.Snapshot.State?.Text}).");
        var launcher = Convert.ToInt32(property, CultureInfo.InvariantCulture);
        return Descendants(launcher).FirstOrDefault(pid => CommandLine(pid).Contains("RegistryCloud.", StringComparison.Ordinal)) is var service and > 0
            ? service
            : launcher;
    }

    /// <summary>SIGKILLs the service process and waits until Aspire reports the resource stopped.</summary>
    public async Task KillAsync(string resource)
    {
        using (var process = Process.GetProcessById(ServicePid(resource)))
        {
            // Process.Kill is SIGKILL on Unix: no shutdown hooks, no flushing, as kill -9.
            process.Kill();
        }

        await Poll.UntilAsync(
            () => !IsRunning(resource),
            () => $"{resource} is still {State(resource)} after its process was killed",
            StopTimeout);
    }

    /// <summary>Starts a stopped resource with Aspire's start command and waits until it is healthy.</summary>
    public async Task StartAsync(string resource)
    {
        var result = await app.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, TestContext.Current.CancellationToken);
        Assert.True(result.Success, $"Aspire could not start {resource}: {result.Message}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.WaitOnResourceUnavailable, timeout.Token);
    }

    public bool IsRunning(string resource) => State(resource) == KnownResourceStates.Running;

    public bool IsHealthy(string resource) =>
        app.ResourceNotifications.TryGetCurrentState(resource, out var current)
        && current.Snapshot.State?.Text == KnownResourceStates.Running
        && current.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy;

    public string State(string resource) =>
        app.ResourceNotifications.TryGetCurrentState(resource, out var current) ? current.Snapshot.State?.Text ?? "no state" : "unknown";

    /// <summary>Which of <paramref name="resources"/> holds the TCP socket whose local port is <paramref name="port"/> (a connection it opened).</summary>
    public string? OwnerOfPort(IEnumerable<string> resources, int port)
    {
        var inodes = new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .SelectMany(table => SafeRead(table).Split('\n').Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 9 && int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
            .Select(fields => $"socket:[{fields[9]}]")
            .ToHashSet();
        return resources.FirstOrDefault(resource =>
        {
            var pid = ServicePid(resource);
            return SafeEntries($"/proc/{pid}/fd").Any(fd => inodes.Contains(SafeLink(fd)));
        });
    }

    /// <summary>The kernel's count of a service's threads and its resident memory, from <c>/proc/pid/status</c>.</summary>
    public (int Threads, long ResidentBytes) Usage(string resource)
    {
        var status = SafeRead($"/proc/{ServicePid(resource)}/status").Split('\n');
        long Field(string name) => long.Parse(
            status.First(line => line.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim().Split(' ')[0],
            CultureInfo.InvariantCulture);
        return ((int)Field("Threads:"), Field("VmRSS:") * 1024);
    }

    private static IEnumerable<string> SafeEntries(string path)
    {
        try
        {
            return Directory.GetFileSystemEntries(path);
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string SafeLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static IEnumerable<int> Descendants(int pid)
    {
        var pending = new Queue<int>([pid]);
        while (pending.TryDequeue(out var next))
        {
            foreach (var task in SafeDirectories($"/proc/{next}/task"))
            {
                var children = SafeRead(Path.Combine(task, "children"));
                foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var id = int.Parse(child, CultureInfo.InvariantCulture);
                    yield return id;
                    pending.Enqueue(id);
                }
            }
        }
    }

    private static string CommandLine(int pid) => SafeRead($"/proc/{pid}/cmdline").Replace('\0', ' ');

    private static string[] SafeDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static string SafeRead(string path)
    {
        // A process may exit between listing and reading: it then has no children to give.
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
