using System.Diagnostics.Metrics;

namespace RegistryCloud.Proxy;

/// <summary>
/// The pull-through cache's counters, on the Meter of the service that uses it (the debug
/// listener's /metrics and the dashboard show them): hits and misses by kind, bytes fetched
/// from upstream, upstream errors, and stale tags served while the upstream was down.
/// </summary>
public sealed class ProxyMetrics(IMeterFactory meterFactory, string meterName)
{
    private readonly Meter _meter = meterFactory.Create(meterName);
    private Counter<long>? _hits;
    private Counter<long>? _misses;
    private Counter<long>? _bytes;
    private Counter<long>? _errors;
    private Counter<long>? _stale;

    private Counter<long> Hits => _hits ??= _meter.CreateCounter<long>("registry.proxy.hits", "{request}", "Pulls of proxied repositories served from the cache.");

    private Counter<long> Misses => _misses ??= _meter.CreateCounter<long>("registry.proxy.misses", "{request}", "Pulls of proxied repositories that went upstream.");

    private Counter<long> Bytes => _bytes ??= _meter.CreateCounter<long>("registry.proxy.upstream.bytes", "By", "Bytes fetched from upstream registries.");

    private Counter<long> Errors => _errors ??= _meter.CreateCounter<long>("registry.proxy.upstream.errors", "{error}", "Upstream calls that failed, by failure.");

    private Counter<long> Stale => _stale ??= _meter.CreateCounter<long>("registry.proxy.stale_served", "{request}", "Tags served past their ttl because the upstream was unavailable.");

    public void Hit(Upstream upstream, string kind) => Hits.Add(1, Tags(upstream, kind));

    public void Miss(Upstream upstream, string kind) => Misses.Add(1, Tags(upstream, kind));

    public void Fetched(Upstream upstream, long bytes) => Bytes.Add(bytes, new KeyValuePair<string, object?>("upstream", upstream.Name));

    public void Failed(Upstream upstream, UpstreamFailure failure) =>
        Errors.Add(1, new KeyValuePair<string, object?>("upstream", upstream.Name), new KeyValuePair<string, object?>("failure", failure.ToString()));

    public void ServedStale(Upstream upstream) => Stale.Add(1, new KeyValuePair<string, object?>("upstream", upstream.Name));

    private static ReadOnlySpan<KeyValuePair<string, object?>> Tags(Upstream upstream, string kind) =>
        new KeyValuePair<string, object?>[] { new("upstream", upstream.Name), new("kind", kind) };
}
