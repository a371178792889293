using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace RegistryCloud.Tests.Shared.Tracing;

/// <summary>
/// The spans of the traces a test starts, as a service's tracer provider hands them on: registered
/// as one of the service's span processors (after its own), so what it records is what an exporter
/// would send. A test starts a trace by sending <see cref="TraceParent(ActivityTraceId)"/> with its
/// request; spans of other traces (other tests, in-process backends) are not kept.
/// </summary>
internal sealed class SpanRecorder : BaseProcessor<Activity>
{
    private readonly ConcurrentDictionary<ActivityTraceId, ConcurrentQueue<Activity>> _traces = new();

    /// <summary>Adds the recorder to a service's processors.</summary>
    public void AddTo(IServiceCollection services) => services.AddSingleton<BaseProcessor<Activity>>(this);

    /// <summary>A new trace whose spans will be kept.</summary>
    public ActivityTraceId StartTrace()
    {
        var trace = ActivityTraceId.CreateRandom();
        _traces[trace] = new ConcurrentQueue<Activity>();
        return trace;
    }

    /// <summary>The W3C <c>traceparent</c> header that makes a request's spans part of <paramref name="trace"/>.</summary>
    public static string TraceParent(ActivityTraceId trace) => $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";

    public override void OnEnd(Activity data)
    {
        if (_traces.TryGetValue(data.TraceId, out var spans))
        {
            spans.Enqueue(data);
        }
    }

    /// <summary>
    /// The trace's spans once one of <paramref name="kind"/> has ended for each of
    /// <paramref name="count"/> hops (a span ends after its response is sent, so after the client has it).
    /// </summary>
    public async Task<IReadOnlyList<Activity>> WaitForAsync(ActivityTraceId trace, ActivityKind kind, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var spans = _traces[trace].ToArray();
            if (spans.Count(span => span.Kind == kind) >= count || DateTime.UtcNow > deadline)
            {
                return spans;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
