namespace RegistryCloud.AppHost.Resources;

/// <summary>Settings of the processes Aspire's orchestrator (DCP) runs beside the services.</summary>
internal static class OrchestratorProcesses
{
    /// <summary>DCP's own switch (read from its environment, which it inherits from the AppHost).</summary>
    public const string DisableMonitorVariable = "DCP_DISABLE_MONITOR_PROCESS";

    /// <summary>
    /// DCP starts one <c>dcp monitor-process</c> per process it runs (each service replica, Redis),
    /// a copy of its 90 MB binary at 67 MiB resident, only to kill that process should DCP itself
    /// die without cleaning up: 330 MiB of the registry's 1.2 GiB at idle (docs/performance.md,
    /// "Idle memory"). DCP still stops every process when the AppHost stops or is killed (it
    /// watches the AppHost); what is given up is the clean-up after a SIGKILL of DCP alone. An
    /// operator's own value, in the AppHost's environment, is left alone.
    /// </summary>
    public static void DisableMonitors(Func<string, string?>? environment = null, Action<string, string>? set = null)
    {
        if ((environment ?? Environment.GetEnvironmentVariable)(DisableMonitorVariable) is null)
        {
            (set ?? Environment.SetEnvironmentVariable)(DisableMonitorVariable, "true");
        }
    }
}
