using RegistryCloud.Oci;

namespace RegistryCloud.Lifecycle.Gc;

/// <summary>
/// What lets the collector run while the registry takes pushes, on every replica: writers record
/// the content a request is about to rely on <em>before</em> they check that it exists, and the
/// collector, after it removes something, looks for such a record and puts back what it removed.
/// Either the writer's check comes after the removal (and fails: the client uploads again), or its
/// record comes before the collector's look (and the removal is undone); no request ever commits a
/// reference to content the collector took away. One collector runs at a time across replicas.
/// A coordinator whose store does not answer throws <see cref="GcCoordinatorUnavailableException"/>.
/// </summary>
public interface IGcCoordinator
{
    /// <summary>
    /// Records that a request is about to rely on <paramref name="digests"/> in
    /// <paramref name="repository"/> (a manifest's blobs and child manifests, a mount's blob).
    /// </summary>
    Task RecordUseAsync(string repository, IEnumerable<Digest> digests, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="digest"/> was recorded in <paramref name="repository"/> (any
    /// repository when null) at or after <paramref name="since"/>.
    /// </summary>
    Task<bool> WasUsedSinceAsync(string? repository, Digest digest, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Forgets records older than <paramref name="before"/>.</summary>
    Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>
    /// The right to run a background job (<see cref="GcJobs"/>), or null while another run of it,
    /// on any replica, holds it.
    /// </summary>
    Task<GcLease?> TryAcquireRunAsync(string job, CancellationToken cancellationToken);
}

/// <summary>
/// A held collector run. <see cref="Lost"/> is cancelled if the lease could not be kept (Redis
/// unreachable past its expiry): the run must stop, since another may have started.
/// </summary>
public abstract class GcLease : IAsyncDisposable
{
    public abstract CancellationToken Lost { get; }

    public abstract ValueTask DisposeAsync();
}

/// <summary>The background jobs that run one at a time across replicas.</summary>
public static class GcJobs
{
    public const string Collect = "gc";
    public const string Scrub = "scrub";
}

/// <summary>The keys of the records: a digest in one repository, and the digest anywhere.</summary>
public static class GcRecordKeys
{
    public static string Of(string? repository, Digest digest) => (repository ?? "") + "@" + digest;
}
