namespace RegistryCloud.Configuration;

/// <summary>
/// <c>gc</c>, RegistryCloud's own section: the online garbage collector BlobService runs (one run
/// at a time across replicas). Off by default; <c>registrycloud gc</c> collects offline either way.
/// </summary>
public sealed record GcConfiguration
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(24);
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromHours(1);

    /// <summary><c>gc.enabled</c>: whether the collector runs in the background.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>gc.interval</c>: the time from one run's start to the next (default 24h).</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary><c>gc.delay</c>: the grace period; nothing younger is removed (default 1h, zot's <c>gcDelay</c>).</summary>
    public TimeSpan Delay { get; init; } = DefaultDelay;

    /// <summary><c>gc.deleteuntagged</c>: remove manifests no tag, reachable index or subject keeps.</summary>
    public bool DeleteUntagged { get; init; }

    /// <summary><c>gc.dryrun</c>: report what would go, remove nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// <c>gc.dutycycle</c>: the share of the time a run works, in percent (1-100, default 25); it
    /// rests the rest, so pushes during a run keep most of the machine. 100: as fast as it can.
    /// </summary>
    public int DutyCycle { get; init; } = DefaultDutyCycle;

    public const int DefaultDutyCycle = 25;
}
