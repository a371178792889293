using RegistryCloud.Configuration;
using RegistryCloud.Oci;

namespace RegistryCloud.Lifecycle.Gc;

/// <summary>
/// The writers' side of <see cref="IGcCoordinator"/>: records what a request relies on, before it
/// checks it, while the online collector is enabled (with it off, no run needs the records and
/// nothing would prune them).
/// </summary>
public sealed class GcUses(IGcCoordinator coordinator, RegistryConfiguration configuration)
{
    public bool Recording => configuration.Gc.Enabled;

    public Task RecordAsync(string repository, IEnumerable<Digest> digests, CancellationToken cancellationToken) =>
        Recording ? coordinator.RecordUseAsync(repository, digests, cancellationToken) : Task.CompletedTask;
}
