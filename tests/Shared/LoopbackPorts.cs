using System.Net;
using System.Net.Sockets;

namespace RegistryCloud.Tests.Shared;

/// <summary>Ports for servers the tests start on loopback.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now (the kernel's pick, released for the caller).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
