using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace RegistryCloud.Tests.Shared.Tracing;

/// <summary>
/// The spans of the traces a test starts, as a service's tracer provider hands them on: registered
/// as one of the service's span processors (after its own), so what it records is what an exporter
/// would send. A test starts a trace by sending its request through <see cref="SendAsync"/>; spans
/// of other traces (other tests, other requests) are not kept.
/// </summary>
public sealed class SpanRecorder : BaseProcessor<Activity>
{
    private readonly ConcurrentDictionary<ActivityTraceId, ConcurrentQueue<Activity>> _traces = new();

    /// <summary>Adds the recorder to a service's processors.</summary>
    public void AddTo(IServiceCollection services) => services.AddSingleton<BaseProcessor<Activity>>(this);

    /// <summary>
    /// Sends <paramref name="request"/> as the first hop of a new trace (with its W3C
    /// <c>traceparent</c>), whose spans will be kept.
    /// </summary>
    public async Task<(HttpResponseMessage Response, ActivityTraceId Trace)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var trace = ActivityTraceId.CreateRandom();
        _traces[trace] = new ConcurrentQueue<Activity>();
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return (await client.SendAsync(request, TestContext.Current.CancellationToken), trace);
    }

    /// <summary>The trace's one server span, once it has ended: a service's own, where no other service is in process.</summary>
    public async Task<Activity> ServerSpanAsync(ActivityTraceId trace) =>
        Assert.Single(await WaitForAsync(trace, ActivityKind.Server), span => span.Kind == ActivityKind.Server);

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
