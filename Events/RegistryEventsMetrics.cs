using System.Diagnostics.Metrics;

namespace RegistryCloud.Events;

/// <summary>The producer side's instruments, on the Meter of the service that publishes.</summary>
public sealed class RegistryEventsMetrics
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _duration;

    public RegistryEventsMetrics(IMeterFactory meterFactory, string meterName)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(meterName);
        _published = meter.CreateCounter<long>("registry.events.published", "{event}", "Events added to the event stream.");
        _failed = meter.CreateCounter<long>("registry.events.publish_failures", "{event}", "Events that could not be added to the event stream.");
        _duration = meter.CreateHistogram<double>("registry.events.publish.duration", "s", "Time to add an event to the event stream.");
    }

    public void Published(string action, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("registry.event.action", action);
        _published.Add(1, tag);
        _duration.Record(elapsed.TotalSeconds, tag);
    }

    public void Failed(string action) => _failed.Add(1, new KeyValuePair<string, object?>("registry.event.action", action));
}
