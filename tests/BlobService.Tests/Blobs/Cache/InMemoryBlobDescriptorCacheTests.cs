using Microsoft.Extensions.Time.Testing;
using RegistryCloud.BlobService.Blobs.Cache;

namespace RegistryCloud.BlobService.Tests.Blobs.Cache;

/// <summary>The contract, on the in-memory cache with a clock the test moves.</summary>
public sealed class InMemoryBlobDescriptorCacheTests : BlobDescriptorCacheContract, IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly List<InMemoryBlobDescriptorCache> _caches = [];

    private protected override TimeSpan ShortTtl => TimeSpan.FromMinutes(5);

    public void Dispose() => _caches.ForEach(cache => cache.Dispose());

    private protected override IBlobDescriptorCache CreateCache(BlobDescriptorCacheOptions options)
    {
        var cache = new InMemoryBlobDescriptorCache(options, _time);
        _caches.Add(cache);
        return cache;
    }

    private protected override Task AdvanceAsync(TimeSpan elapsed)
    {
        _time.Advance(elapsed);
        return Task.CompletedTask;
    }
}
