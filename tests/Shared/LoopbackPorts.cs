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

    /// <summary>An http address on loopback where nothing listens: a connection to it is refused.</summary>
    public static string ClosedAddress() => $"http://127.0.0.1:{Free()}";
}
