using RegistryCloud.BlobService.Gc;
using RegistryCloud.Configuration;

namespace RegistryCloud.BlobService.Operations;

/// <summary>
/// <c>GET /status</c>: garbage collection and storage used (<see cref="LifecycleStatus"/>), read
/// only. Outside <c>/v2</c>, so the gateway never routes it: only what reaches the service's own
/// port asks (the web console's status page; in Kubernetes the network policy admits the console).
/// </summary>
internal static class StatusApi
{
    public const string Path = "/status";

    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (RegistryConfiguration configuration, GarbageCollectionService gc, LifecycleStatusStore store, StorageUsage usage) =>
        {
            var (used, measuring) = await usage.ReadAsync();
            var status = new LifecycleStatus(
                Environment.MachineName,
                new GcStatus(configuration.Gc.Enabled, configuration.Gc.DryRun, configuration.Gc.Interval, await store.LastRunAsync(), gc.NextRunAt),
                used,
                measuring);
            return Results.Json(status, StatusJsonContext.Default.LifecycleStatus);
        });
        return app;
    }
}
