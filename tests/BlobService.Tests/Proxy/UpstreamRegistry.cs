using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Proxy;

/// <summary>One Distribution for a test class to use as the cache's upstream, on a root of its own.</summary>
public sealed class UpstreamRegistry : IAsyncLifetime
{
    private readonly TemporaryDirectory _root = new();

    public DistributionRegistry Distribution { get; private set; } = null!;

    public string Address => Distribution.Client.BaseAddress!.ToString().TrimEnd('/');

    public async ValueTask InitializeAsync() => Distribution = await DistributionRegistry.StartAsync(_root.Path);

    public async ValueTask DisposeAsync()
    {
        await Distribution.DisposeAsync();
        _root.Dispose();
    }
}
