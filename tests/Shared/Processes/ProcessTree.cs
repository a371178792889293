using System.Globalization;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// Which process to kill for a resource the AppHost runs (Linux <c>/proc</c>). The AppHost starts
/// each service's own executable (AppHost/Resources/BuiltExecutables.cs), whose pid is the one its
/// snapshot shows (<c>executable.pid</c>); where Aspire launches a project as
/// <c>dotnet run --no-build</c> (a project without a recorded build output), that pid is the
/// launcher's and the service is the launcher's child. Killing the launcher with SIGKILL
/// leaves the service running, orphaned and still holding its port and DCP's output pipes, so DCP
/// never sees it end; killing the service ends the launcher with the same status, which DCP
/// reports (<c>Finished</c>, exit code 137). An executable (redis-server) is its own pid.
/// </summary>
public static class ProcessTree
{
    /// <summary>
    /// The service process under <paramref name="launcherPid"/>: its one child, or the process
    /// itself when it has none (an executable run directly).
    /// </summary>
    public static int ServiceProcess(int launcherPid)
    {
        var children = Children(launcherPid);
        return children.Count switch
        {
            0 => launcherPid,
            1 => children[0],
            _ => throw new InvalidOperationException($"process {launcherPid} has {children.Count} children ({string.Join(", ", children)}): which is the service is unclear"),
        };
    }

    /// <summary>The processes whose parent is <paramref name="pid"/>.</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Ended while the list was read.
                continue;
            }

            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields count from its last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) && parent == pid)
            {
                children.Add(candidate);
            }
        }

        return children;
    }
}
