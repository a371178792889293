using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.AppHost;

/// <summary>
/// Issue #21 (cost): the AppHost starts each service's built executable, not a <c>dotnet run</c>
/// process that stays beside it (140 MiB each at idle), and DCP runs no monitor process beside
/// each one (67 MiB each). Checked on the processes DCP started for the collection's running app.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ServiceProcessesTests(RegistryAppFixture registry)
{
    [Fact]
    public void Every_service_process_the_AppHost_started_is_the_services_own_executable()
    {
        foreach (var (project, pid) in ServiceProcesses())
        {
            using var process = Process.GetProcessById(pid);

            // Under `dotnet run` the process DCP started is the SDK's dotnet host; the service is its child.
            var executable = Path.GetFileName(process.MainModule?.FileName);
            var assembly = "RegistryCloud." + Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath);
            Assert.True(executable == assembly || executable == assembly + ".exe", $"{project.Name} runs as '{process.MainModule?.FileName}', not {assembly}");
        }
    }

    [Fact]
    public void No_orchestrator_monitor_process_watches_a_service()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads command lines from /proc");
        var monitored = Directory.EnumerateDirectories("/proc")
            .Select(directory => ReadCommandLine(Path.Combine(directory, "cmdline")))
            .Where(arguments => arguments.Contains("monitor-process"))
            .Select(arguments => arguments.IndexOf("--child") is var at and >= 0 && at + 1 < arguments.Length ? arguments[at + 1] : null)
            .ToHashSet();

        foreach (var (project, pid) in ServiceProcesses())
        {
            Assert.False(monitored.Contains(pid.ToString(CultureInfo.InvariantCulture)), $"a 'dcp monitor-process' watches {project.Name} (pid {pid})");
        }
    }

    /// <summary>Each project resource of the running app and the pid of the process DCP started for it.</summary>
    private List<(ProjectResource Project, int Pid)> ServiceProcesses()
    {
        Assert.SkipWhen(registry.App is null, $"the registry is external ({RegistryAppFixture.RegistryOverrideVariable}): its processes are not the AppHost's");
        var app = registry.App!;
        var projects = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>().ToList();
        Assert.NotEmpty(projects);
        return [.. projects.Select(project =>
        {
            Assert.True(app.ResourceNotifications.TryGetCurrentState(project.Name, out var current), $"no state for {project.Name}");
            var pid = current.Snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value;
            Assert.NotNull(pid);
            return (project, Convert.ToInt32(pid, CultureInfo.InvariantCulture));
        })];
    }

    private static string[] ReadCommandLine(string path)
    {
        try
        {
            return File.ReadAllText(path).Split('\0');
        }
        catch (IOException)
        {
            return []; // the process has exited
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
