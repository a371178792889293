using System.Text.Json.Serialization;

namespace RegistryCloud.BlobService.Operations;

/// <summary>
/// <c>GET /status</c>'s answer: garbage collection and storage used, for operators (the web
/// console's status page). <see cref="Replica"/> names the process that answered; what it reports
/// of runs and storage is shared by every replica through Redis when there is one.
/// </summary>
internal sealed record LifecycleStatus(string Replica, GcStatus Gc, StorageUsed? Storage, bool StorageMeasuring);

/// <summary>
/// <c>gc.enabled</c>, <c>gc.interval</c>, the last run any replica made (or tried), and when this
/// replica next tries one: every replica tries at each of its own ticks and the first to take the
/// run lease collects, so another replica's turn may come sooner.
/// </summary>
internal sealed record GcStatus(bool Enabled, bool DryRun, TimeSpan Interval, GcRun? LastRun, DateTimeOffset? NextRunAt);

/// <summary>One collection: <c>ok</c>, <c>dry_run</c> or <c>failed</c> (with why), and what it removed.</summary>
internal sealed record GcRun(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Outcome,
    string? Error,
    int BlobsRemoved,
    long BytesReclaimed,
    int ManifestsRemoved,
    int Errors);

/// <summary>
/// Blob data in the store (every blob once, whichever repositories link it; uploads in progress
/// not counted), when it was counted, and by what: <c>gc</c> (a collection's blob sweep) or
/// <c>walk</c> (<see cref="StorageUsage"/>).
/// </summary>
internal sealed record StorageUsed(long Bytes, long Blobs, DateTimeOffset MeasuredAt, string Source);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LifecycleStatus))]
[JsonSerializable(typeof(GcRun))]
[JsonSerializable(typeof(StorageUsed))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
