using System.Collections.Concurrent;
using RegistryCloud.Oci;

namespace RegistryCloud.Lifecycle.Gc;

/// <summary>
/// The coordinator of a registry without Redis: one process, so records and the run leases live in
/// its memory. Replicas without Redis cannot see each other's records; run one (the docs say so).
/// </summary>
public sealed class InMemoryGcCoordinator(TimeProvider time) : IGcCoordinator
{
    private readonly ConcurrentDictionary<string, long> _uses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _runs = new(StringComparer.Ordinal);

    public Task RecordUseAsync(string repository, IEnumerable<Digest> digests, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var digest in digests)
        {
            _uses[GcRecordKeys.Of(repository, digest)] = now;
            _uses[GcRecordKeys.Of(null, digest)] = now;
        }

        return Task.CompletedTask;
    }

    public Task<bool> WasUsedSinceAsync(string? repository, Digest digest, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult(_uses.TryGetValue(GcRecordKeys.Of(repository, digest), out var at) && at >= since.ToUnixTimeMilliseconds());

    public Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var cutoff = before.ToUnixTimeMilliseconds();
        foreach (var (key, at) in _uses)
        {
            if (at < cutoff)
            {
                _uses.TryRemove(new KeyValuePair<string, long>(key, at));
            }
        }

        return Task.CompletedTask;
    }

    public async Task<GcLease?> TryAcquireRunAsync(string job, CancellationToken cancellationToken)
    {
        var run = _runs.GetOrAdd(job, _ => new SemaphoreSlim(1, 1));
        return await run.WaitAsync(TimeSpan.Zero, cancellationToken) ? new Lease(run) : null;
    }

    private sealed class Lease(SemaphoreSlim run) : GcLease
    {
        private int _released;

        public override CancellationToken Lost => CancellationToken.None;

        public override ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                run.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
