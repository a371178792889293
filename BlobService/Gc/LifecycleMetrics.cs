using System.Diagnostics.Metrics;
using RegistryCloud.BlobService.Extensions;
using RegistryCloud.Lifecycle.Gc;

namespace RegistryCloud.BlobService.Gc;

/// <summary>
/// Garbage collection and scrub runs on the BlobService Meter (the dashboard's metrics and the
/// debug listener's <c>/metrics</c>): collections by outcome, their duration and what each marked
/// and removed; blobs and bytes the scrub checked, and those it found corrupt and quarantined.
/// </summary>
internal sealed class LifecycleMetrics
{
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _marked;
    private readonly Counter<long> _removed;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _restored;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _scrubbed;
    private readonly Counter<long> _scrubbedBytes;
    private readonly Counter<long> _quarantined;

    public LifecycleMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(BlobServiceTelemetry.Name);
        _runs = meter.CreateCounter<long>("registry.gc.runs", "{run}", "Garbage collection runs, by outcome (ok, dry_run, failed).");
        _duration = meter.CreateHistogram<double>("registry.gc.duration", "s", "How long a garbage collection run took.");
        _marked = meter.CreateCounter<long>("registry.gc.marked", "{item}", "Manifests and blobs a run kept, by kind.");
        _removed = meter.CreateCounter<long>("registry.gc.removed", "{item}", "What runs removed, by kind (manifest, blob, link, upload, tag).");
        _bytes = meter.CreateCounter<long>("registry.gc.bytes_reclaimed", "By", "Blob bytes garbage collection removed from storage.");
        _restored = meter.CreateCounter<long>("registry.gc.restored", "{item}", "Removals undone because a request relied on the content meanwhile.");
        _errors = meter.CreateCounter<long>("registry.gc.errors", "{error}", "What a run could not read or remove (each is kept and logged).");
        _scrubbed = meter.CreateCounter<long>("registry.scrub.blobs", "{blob}", "Blobs the scrub re-hashed.");
        _scrubbedBytes = meter.CreateCounter<long>("registry.scrub.bytes", "By", "Bytes the scrub read.");
        _quarantined = meter.CreateCounter<long>("registry.scrub.quarantined", "{blob}", "Blobs whose bytes did not hash to their digest, moved into the quarantine.");
    }

    public void Completed(GcReport report)
    {
        _runs.Add(1, Outcome(report.DryRun ? "dry_run" : "ok"));
        _duration.Record(report.Duration.TotalSeconds);
        _marked.Add(report.ManifestsMarked, Kind("manifest"));
        _marked.Add(report.BlobsMarked, Kind("blob"));
        _removed.Add(report.ManifestsRemoved, Kind("manifest"));
        _removed.Add(report.BlobsRemoved, Kind("blob"));
        _removed.Add(report.LinksRemoved, Kind("link"));
        _removed.Add(report.UploadsPurged, Kind("upload"));
        _removed.Add(report.TagsRemoved, Kind("tag"));
        _bytes.Add(report.BytesReclaimed);
        _restored.Add(report.Restored);
        _errors.Add(report.Errors);
    }

    public void Failed() => _runs.Add(1, Outcome("failed"));

    public void Scrubbed(Lifecycle.Scrub.ScrubReport report)
    {
        _scrubbed.Add(report.Checked);
        _scrubbedBytes.Add(report.Bytes);
        _quarantined.Add(report.Quarantined);
    }

    private static KeyValuePair<string, object?> Outcome(string outcome) => new("registry.gc.outcome", outcome);

    private static KeyValuePair<string, object?> Kind(string kind) => new("registry.gc.kind", kind);
}
