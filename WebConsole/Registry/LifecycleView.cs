using System.Globalization;
using System.Text.Json;

namespace RegistryCloud.WebConsole.Registry;

/// <summary>Storage used as BlobService counted it: by a collection's sweep (<c>gc</c>) or a walk of the store (<c>walk</c>).</summary>
public sealed record StorageView(long Bytes, long Blobs, DateTimeOffset MeasuredAt, string Source);

/// <summary>One garbage collection: <c>ok</c>, <c>dry_run</c> or <c>failed</c>, and what it reclaimed.</summary>
public sealed record GcRunView(DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, string? Error, long BlobsRemoved, long BytesReclaimed);

/// <summary>
/// BlobService's <c>GET /status</c>: garbage collection (on or off, its interval, the last run any
/// replica made, when the answering replica next tries) and storage used (null until first counted).
/// </summary>
public sealed record LifecycleView(
    string Replica, bool GcEnabled, bool DryRun, TimeSpan Interval, GcRunView? LastRun, DateTimeOffset? NextRunAt, StorageView? Storage, bool Measuring)
{
    public static LifecycleView Parse(JsonElement root)
    {
        var gc = root.TryGetProperty("gc", out var g) && g.ValueKind == JsonValueKind.Object ? g : default;
        GcRunView? lastRun = null;
        if (gc.ValueKind == JsonValueKind.Object && gc.TryGetProperty("lastRun", out var run) && run.ValueKind == JsonValueKind.Object
            && Time(run, "startedAt") is { } started && Time(run, "finishedAt") is { } finished)
        {
            lastRun = new GcRunView(started, finished, ManifestView.String(run, "outcome") ?? "unknown", ManifestView.String(run, "error"), ManifestView.Number(run, "blobsRemoved"), ManifestView.Number(run, "bytesReclaimed"));
        }

        StorageView? storage = null;
        if (root.TryGetProperty("storage", out var used) && used.ValueKind == JsonValueKind.Object && Time(used, "measuredAt") is { } measured)
        {
            storage = new StorageView(ManifestView.Number(used, "bytes"), ManifestView.Number(used, "blobs"), measured, ManifestView.String(used, "source") ?? "");
        }

        return new LifecycleView(
            ManifestView.String(root, "replica") ?? "",
            gc.ValueKind == JsonValueKind.Object && Flag(gc, "enabled"),
            gc.ValueKind == JsonValueKind.Object && Flag(gc, "dryRun"),
            gc.ValueKind == JsonValueKind.Object && TimeSpan.TryParse(ManifestView.String(gc, "interval"), CultureInfo.InvariantCulture, out var interval) ? interval : TimeSpan.Zero,
            lastRun,
            gc.ValueKind == JsonValueKind.Object ? Time(gc, "nextRunAt") : null,
            storage,
            Flag(root, "storageMeasuring"));
    }

    private static bool Flag(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;

    private static DateTimeOffset? Time(JsonElement element, string property) =>
        DateTimeOffset.TryParse(ManifestView.String(element, property), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
