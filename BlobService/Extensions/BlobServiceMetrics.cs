using System.Diagnostics.Metrics;

namespace RegistryCloud.BlobService.Extensions;

/// <summary>
/// Upload sessions and blob bytes in and out, on the BlobService Meter (the debug listener's
/// <c>/metrics</c> and every OTLP exporter see them). Storage action latencies come from the
/// instrumented driver; request counts by route and status from ASP.NET Core's own meters.
/// </summary>
internal sealed class BlobServiceMetrics
{
    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _handedOff;
    private readonly Counter<long> _rehashed;

    public BlobServiceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(BlobServiceTelemetry.Name);
        _started = meter.CreateCounter<long>("registry.uploads.started", "{upload}", "Upload sessions begun.");
        _completed = meter.CreateCounter<long>("registry.uploads.completed", "{upload}", "Upload sessions ended by their final PUT, by outcome.");
        _cancelled = meter.CreateCounter<long>("registry.uploads.cancelled", "{upload}", "Upload sessions cancelled by DELETE.");
        _received = meter.CreateCounter<long>("registry.blob.bytes_received", "By", "Blob bytes received into upload sessions.");
        _sent = meter.CreateCounter<long>("registry.blob.bytes_sent", "By", "Blob bytes sent to clients from local files.");
        _handedOff = meter.CreateCounter<long>(
            "registry.blob.bytes_handed_off", "By", "Blob bytes of local files whose sending was handed to the gateway (it reads the file itself).");
        _rehashed = meter.CreateCounter<long>(
            "registry.uploads.rehashed_bytes", "By", "Upload bytes read back from storage to rebuild a running hash no saved state covered.");
    }

    public void UploadStarted() => _started.Add(1);

    public void UploadCompleted(bool digestMatched) =>
        _completed.Add(1, new KeyValuePair<string, object?>("registry.upload.outcome", digestMatched ? "ok" : "digest_invalid"));

    public void UploadCancelled() => _cancelled.Add(1);

    public void BytesReceived(long bytes)
    {
        if (bytes > 0)
        {
            _received.Add(bytes);
        }
    }

    public void BytesRehashed(long bytes)
    {
        if (bytes > 0)
        {
            _rehashed.Add(bytes);
        }
    }

    public void BytesSent(long bytes)
    {
        if (bytes > 0)
        {
            _sent.Add(bytes);
        }
    }

    public void BytesHandedOff(long bytes)
    {
        if (bytes > 0)
        {
            _handedOff.Add(bytes);
        }
    }
}
