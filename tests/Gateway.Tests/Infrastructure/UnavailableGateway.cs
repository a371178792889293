using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>The gateway with both clusters pointed at ports on 127.0.0.1 where nothing listens.</summary>
public sealed class UnavailableGateway : IAsyncDisposable
{
    private readonly GatewayFactory _factory = new(GatewaySettings.ProxyTo(LoopbackPorts.ClosedAddress(), LoopbackPorts.ClosedAddress()));

    internal HttpClient CreateClient() => _factory.CreateRegistryClient();

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
