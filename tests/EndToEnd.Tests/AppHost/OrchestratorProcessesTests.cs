using RegistryCloud.AppHost.Resources;

namespace RegistryCloud.EndToEnd.Tests.AppHost;

/// <summary>The environment the AppHost leaves for DCP, checked without starting it.</summary>
public sealed class OrchestratorProcessesTests
{
    [Fact]
    public void DCP_is_told_to_run_no_monitor_process_by_default()
    {
        var set = new Dictionary<string, string>();

        OrchestratorProcesses.DisableMonitors(_ => null, (name, value) => set[name] = value);

        Assert.Equal("true", set[OrchestratorProcesses.DisableMonitorVariable]);
    }

    [Fact]
    public void An_operators_own_setting_is_left_to_be_inherited()
    {
        var set = new Dictionary<string, string>();

        OrchestratorProcesses.DisableMonitors(name => name == OrchestratorProcesses.DisableMonitorVariable ? "false" : null, (name, value) => set[name] = value);

        Assert.Empty(set);
    }
}
