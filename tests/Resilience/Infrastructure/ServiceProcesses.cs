using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace RegistryCloud.Resilience.Tests.Infrastructure;

/// <summary>
/// The services' processes: kill one as the kernel's OOM killer or a crashed node would
/// (SIGKILL, nothing flushed), and wait for the AppHost to start it again by itself (its restart
/// supervisor, issue 20), as it must for invariant 5: nobody restarts anything by hand.
/// </summary>
/// <remarks>
/// The snapshot's <c>executable.pid</c> is DCP's <c>dotnet run</c>, not the service: the service
/// is its child process (<see cref="ProcessTree"/>). Killing the child is the real fault;
/// <c>dotnet run</c> then exits too and DCP reports the resource as exited.
/// </remarks>
public sealed class ServiceProcesses(DistributedApplication app)
{
    /// <summary>The snapshot property with the pid of the process DCP started (Aspire's KnownProperties, internal).</summary>
    private const string ExecutablePidProperty = "executable.pid";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromSeconds(120);

    private readonly Dictionary<string, int> _killed = [];

    /// <summary>The pid of the service process itself (below DCP's <c>dotnet run</c>; an executable such as redis-server is its own).</summary>
    public int ServicePid(string resource) => ProcessTree.ServiceProcess(ExecutablePid(resource));

    /// <summary>The pid of the process DCP started for the resource (<c>executable.pid</c>).</summary>
    public int ExecutablePid(string resource)
    {
        if (!app.ResourceNotifications.TryGetCurrentState(resource, out var current))
        {
            throw new InvalidOperationException($"The app has no resource '{resource}'.");
        }

        var property = current.Snapshot.Properties.FirstOrDefault(p => p.Name == ExecutablePidProperty)?.Value
            ?? throw new InvalidOperationException($"'{resource}' has no {ExecutablePidProperty} (state {current.Snapshot.State?.Text}).");
        return Convert.ToInt32(property, CultureInfo.InvariantCulture);
    }

    /// <summary>SIGKILLs the service process and waits until that process is gone from the resource.</summary>
    public async Task KillAsync(string resource)
    {
        var pid = ServicePid(resource);
        using (var process = Process.GetProcessById(pid))
        {
            // Process.Kill is SIGKILL on Unix: no shutdown hooks, no flushing, as kill -9.
            process.Kill();
        }

        _killed[resource] = pid;

        // The supervisor may already have started a new process: a changed pid counts as stopped.
        await Poll.UntilAsync(
            () => !IsRunning(resource) || CurrentPid(resource) is { } now && now != pid,
            () => $"{resource} is still {State(resource)} with pid {pid} after it was killed",
            StopTimeout);
    }

    /// <summary>Waits until the AppHost has started a killed resource again and it is healthy: no command from the test.</summary>
    public async Task RestartedAsync(string resource)
    {
        var killed = _killed.GetValueOrDefault(resource);
        await Poll.UntilAsync(
            () => IsHealthy(resource) && CurrentPid(resource) is { } now && now != killed,
            () => $"{resource} was not restarted by the AppHost (state {State(resource)}, pid {CurrentPid(resource)?.ToString(CultureInfo.InvariantCulture) ?? "none"}, killed {killed})",
            RestartTimeout);
    }

    public bool IsRunning(string resource) => State(resource) == KnownResourceStates.Running;

    public bool IsHealthy(string resource) =>
        app.ResourceNotifications.TryGetCurrentState(resource, out var current)
        && current.Snapshot.State?.Text == KnownResourceStates.Running
        && current.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy;

    /// <summary>The service's pid now, or null while the resource has no process.</summary>
    private int? CurrentPid(string resource)
    {
        try
        {
            return IsRunning(resource) ? ServicePid(resource) : null;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // Between processes: the launcher has no child yet, or is gone.
            return null;
        }
    }

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
