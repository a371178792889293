using System.Diagnostics.Metrics;
using RegistryCloud.BlobService.Extensions;

namespace RegistryCloud.BlobService.Blobs.Cache;

/// <summary>The cache's instruments, on the BlobService Meter.</summary>
internal sealed class BlobDescriptorCacheMetrics
{
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _errors;

    public BlobDescriptorCacheMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(BlobServiceTelemetry.Name);
        _hits = meter.CreateCounter<long>("registry.blob_descriptor_cache.hits", "{lookup}", "Blob descriptors answered by the cache.");
        _misses = meter.CreateCounter<long>("registry.blob_descriptor_cache.misses", "{lookup}", "Blob descriptor lookups that went to storage.");
        _errors = meter.CreateCounter<long>("registry.blob_descriptor_cache.errors", "{operation}", "Cache operations that failed and fell back to storage.");
    }

    public void Lookup(string scope, bool hit) =>
        (hit ? _hits : _misses).Add(1, new KeyValuePair<string, object?>("registry.cache.scope", scope));

    public void Error(string operation) => _errors.Add(1, new KeyValuePair<string, object?>("registry.cache.operation", operation));
}
