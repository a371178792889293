using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RegistryCloud.AppHost.Startup;

/// <summary>What a resource's new state means for the console.</summary>
internal enum ResourceChange
{
    /// <summary>Nothing to say: still starting, or no different from before.</summary>
    None,

    /// <summary>Healthy for the first time.</summary>
    Ready,

    /// <summary>Unhealthy after having been healthy.</summary>
    Unhealthy,

    /// <summary>Healthy again after <see cref="Unhealthy"/>, or after <see cref="Died"/> (restarted).</summary>
    Recovered,

    /// <summary>Exited, finished or failed to start on its own before it was ever healthy: it cannot start.</summary>
    Stopped,

    /// <summary>
    /// Exited, finished or failed to start on its own after it had been healthy (killed, crashed,
    /// or its restart failed): what <c>RegistryCloud:RestartOnExit</c> restarts.
    /// </summary>
    Died,

    /// <summary>
    /// Stopped by the AppHost: the dashboard's Stop or Restart, a rebuild, or the AppHost stopping.
    /// DCP then says the resource is <c>Stopping</c> before it ends; a process that dies on its
    /// own goes from <c>Running</c> straight to <c>Finished</c>.
    /// </summary>
    StoppedOnRequest,
}

/// <summary>
/// Turns the stream of resource states into the few changes a person at the console needs to
/// hear about, each once. Health checks that fail while a resource is still starting (connection
/// refused until it listens) are not news; the same check failing after it was healthy is. Which
/// stops the resource made itself, and whether it had ever worked, is what the restarts go by too.
/// </summary>
internal sealed class ResourceReport
{
    private readonly Dictionary<string, Memory> _resources = new(StringComparer.Ordinal);

    /// <summary>What the resource's new <paramref name="state"/> and <paramref name="health"/> (a snapshot's) mean.</summary>
    public ResourceChange Observe(string resource, string? state, HealthStatus? health)
    {
        if (!_resources.TryGetValue(resource, out var memory))
        {
            memory = new Memory();
            _resources[resource] = memory;
        }

        if (state == KnownResourceStates.Stopping)
        {
            memory.Stopping = true;
            return ResourceChange.None;
        }

        if (state is not null && KnownResourceStates.TerminalStates.Contains(state))
        {
            if (memory.Stopped)
            {
                return ResourceChange.None;
            }

            memory.Stopped = true;
            if (memory.Stopping)
            {
                return ResourceChange.StoppedOnRequest;
            }

            // Its recovery, once it is healthy again, is news.
            memory.Unhealthy = memory.EverHealthy;
            return memory.EverHealthy ? ResourceChange.Died : ResourceChange.Stopped;
        }

        if (state == KnownResourceStates.Starting || state == KnownResourceStates.Running)
        {
            // Started again (from the dashboard, or restarted): a later stop is news again, and
            // one that fails to start counts as a death of its own.
            memory.Stopped = false;
            memory.Stopping = false;
        }

        switch (health)
        {
            case HealthStatus.Healthy when !memory.EverHealthy:
                memory.EverHealthy = true;
                return ResourceChange.Ready;
            case HealthStatus.Healthy when memory.Unhealthy:
                memory.Unhealthy = false;
                return ResourceChange.Recovered;
            case HealthStatus.Unhealthy or HealthStatus.Degraded when memory.EverHealthy && !memory.Unhealthy && state == KnownResourceStates.Running:
                memory.Unhealthy = true;
                return ResourceChange.Unhealthy;
            default:
                return ResourceChange.None;
        }
    }

    private sealed class Memory
    {
        public bool EverHealthy { get; set; }

        public bool Unhealthy { get; set; }

        public bool Stopped { get; set; }

        public bool Stopping { get; set; }
    }
}
