namespace RegistryCloud.Configuration;

/// <summary>
/// <c>scrub</c>, RegistryCloud's own section: the slow background scrub BlobService runs (one run
/// at a time across replicas), re-hashing stored blobs and quarantining any whose bytes do not
/// match their digest. Off by default; <c>registrycloud scrub</c> checks offline either way.
/// </summary>
public sealed record ScrubConfiguration
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromDays(7);
    public const long DefaultRateLimit = 20L << 20;

    /// <summary><c>scrub.enabled</c>.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>scrub.interval</c>: the time from one run's start to the next (default 168h).</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary><c>scrub.ratelimit</c>: the most bytes read per second (default 20MiB), so pulls keep the disk.</summary>
    public long RateLimit { get; init; } = DefaultRateLimit;
}
