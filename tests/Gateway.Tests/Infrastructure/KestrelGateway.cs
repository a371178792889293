using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>
/// A gateway on real Kestrel rather than the in-memory test server, for behaviour that depends on
/// which listener a connection arrived on (TLS, the debug listener): the test server has no sockets.
/// </summary>
internal static class KestrelGateway
{
    /// <summary>Starts the factory's gateway on Kestrel; returns the addresses it listens on, in the order they were bound.</summary>
    public static IReadOnlyList<Uri> Start(GatewayFactory factory)
    {
        factory.UseKestrel();
        factory.StartServer();
        return [.. factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(address => new Uri(address))];
    }
}
