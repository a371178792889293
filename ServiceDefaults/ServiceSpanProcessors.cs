using System.Diagnostics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The span processors a service registers in DI as <see cref="BaseProcessor{T}"/> of
/// <see cref="Activity"/> (its span names, say), run in order. Added to the tracer provider ahead
/// of any exporter, so an exporter, which may read a span on its own thread as soon as it is
/// handed one, only ever sees spans the service has finished with.
/// </summary>
internal sealed class ServiceSpanProcessors(IEnumerable<BaseProcessor<Activity>> processors) : BaseProcessor<Activity>
{
    private readonly BaseProcessor<Activity>[] _processors = [.. processors];

    public override void OnStart(Activity data)
    {
        foreach (var processor in _processors)
        {
            processor.OnStart(data);
        }
    }

    public override void OnEnd(Activity data)
    {
        foreach (var processor in _processors)
        {
            processor.OnEnd(data);
        }
    }
}
