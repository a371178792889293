using System.Diagnostics.Metrics;
using RegistryCloud.NotifierService.Extensions;

namespace RegistryCloud.NotifierService.Status;

/// <summary>Per-endpoint delivery instruments on the service's Meter, all tagged with the endpoint's name.</summary>
internal sealed class NotifierMetrics
{
    public const string EndpointTag = "registry.notifier.endpoint";

    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _ignored;
    private readonly Histogram<double> _latency;

    public NotifierMetrics(IMeterFactory meterFactory, EndpointStates states)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(NotifierServiceTelemetry.Name);
        _delivered = meter.CreateCounter<long>("registry.notifier.events.delivered", "{event}", "Events an endpoint accepted.");
        _failed = meter.CreateCounter<long>("registry.notifier.attempts.failed", "{attempt}", "Delivery attempts that failed.");
        _deadLettered = meter.CreateCounter<long>("registry.notifier.events.dead_lettered", "{event}", "Events moved to an endpoint's dead letters.");
        _ignored = meter.CreateCounter<long>("registry.notifier.events.ignored", "{event}", "Events an endpoint's filters left out.");
        _latency = meter.CreateHistogram<double>("registry.notifier.delivery.duration", "s", "Time for an endpoint to answer a delivery.");
        meter.CreateObservableGauge(
            "registry.notifier.events.pending",
            () => states.All.Select(state => new Measurement<long>(state.Pending, Tag(state.Name))),
            "{event}",
            "Events an endpoint has not acknowledged yet.");
        meter.CreateObservableGauge(
            "registry.notifier.last_status",
            () => states.All.Where(state => state.LastStatus >= 0).Select(state => new Measurement<int>(state.LastStatus, Tag(state.Name))),
            description: "The last HTTP status an endpoint answered (0: no answer).");
    }

    public void Delivered(string endpoint, int events, TimeSpan latency)
    {
        _delivered.Add(events, Tag(endpoint));
        _latency.Record(latency.TotalSeconds, Tag(endpoint), new("outcome", "delivered"));
    }

    public void Failed(string endpoint, int status, TimeSpan latency)
    {
        _failed.Add(1, Tag(endpoint), new("http.response.status_code", status));
        _latency.Record(latency.TotalSeconds, Tag(endpoint), new("outcome", "failed"));
    }

    public void DeadLettered(string endpoint, string reason) => _deadLettered.Add(1, Tag(endpoint), new("reason", reason));

    public void Ignored(string endpoint, int events) => _ignored.Add(events, Tag(endpoint));

    private static KeyValuePair<string, object?> Tag(string endpoint) => new(EndpointTag, endpoint);
}
