using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RegistryCloud.AppHost.Restarts;

/// <summary>Marks a process resource that <see cref="ResourceSupervisor"/> starts again when it dies.</summary>
internal sealed class RestartOnExitAnnotation : IResourceAnnotation;

/// <summary>
/// The properties a restarted resource shows in the dashboard (its details pane) and in its
/// snapshot, which tests read.
/// </summary>
internal static class RestartProperties
{
    /// <summary>How many times the AppHost started it again after it died (an int).</summary>
    public const string Count = "restart.count";

    /// <summary>How it last ended: <c>exit code 137 at 2026-01-02T03:04:05Z</c>, or <c>stopped on request at ...: not restarted</c>.</summary>
    public const string LastExit = "restart.last-exit";

    /// <summary>The back-off before the last restart: <c>1 s</c>, <c>2 s</c>, ...</summary>
    public const string Delay = "restart.delay";
}

internal static class RestartOnExitExtensions
{
    /// <summary>
    /// With <c>RegistryCloud:RestartOnExit</c> (the default), the AppHost starts each of
    /// <paramref name="processes"/> again when it dies on its own, after a back-off; Aspire alone
    /// leaves a dead process dead. Containers are left to their runtime.
    /// </summary>
    public static IDistributedApplicationBuilder AddRestartOnExit(this IDistributedApplicationBuilder builder, AppHostSettings settings, IEnumerable<IResource?> processes)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.RestartOnExit)
        {
            return builder;
        }

        foreach (var process in processes)
        {
            if (process is ProjectResource or ExecutableResource)
            {
                process.Annotations.Add(new RestartOnExitAnnotation());
            }
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<ResourceSupervisor>();
        return builder;
    }

    /// <summary>Whether the AppHost restarts <paramref name="resource"/> when it dies.</summary>
    public static bool RestartsOnExit(this IResource resource) => resource.Annotations.OfType<RestartOnExitAnnotation>().Any();
}
