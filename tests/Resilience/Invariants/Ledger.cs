using System.Collections.Concurrent;

namespace RegistryCloud.Resilience.Tests.Invariants;

/// <summary>A blob the registry answered 201 for.</summary>
public sealed record PushedBlob(string Repository, string Digest, byte[] Bytes);

/// <summary>A manifest the registry answered 201 for; <see cref="Sequence"/> orders the answers as the client saw them.</summary>
public sealed record PushedManifest(string Repository, string Tag, string Digest, string MediaType, byte[] Bytes, long Sequence);

/// <summary>
/// What a scenario's client was told is stored: every push answered 201, recorded as the answer
/// arrives, so the invariant checker can ask for each of them back.
/// </summary>
public sealed class Ledger
{
    private readonly ConcurrentQueue<PushedBlob> _blobs = new();
    private readonly ConcurrentQueue<PushedManifest> _manifests = new();
    private long _sequence;

    public IReadOnlyCollection<PushedBlob> Blobs => _blobs;

    public IReadOnlyList<PushedManifest> Manifests => [.. _manifests.OrderBy(m => m.Sequence)];

    public void Blob(string repository, string digest, byte[] bytes) => _blobs.Enqueue(new(repository, digest, bytes));

    public void Manifest(string repository, string tag, string digest, string mediaType, byte[] bytes) =>
        _manifests.Enqueue(new(repository, tag, digest, mediaType, bytes, Interlocked.Increment(ref _sequence)));
}
