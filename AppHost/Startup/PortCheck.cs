using System.Net;
using System.Net.Sockets;
using RegistryCloud.Configuration;

namespace RegistryCloud.AppHost.Startup;

/// <summary>
/// The gateway's ports, tried before anything starts. A port another program holds (a
/// <c>registry:2</c> still running from the tutorial, most often) would otherwise make the gateway
/// exit while the AppHost waited for it; this says which port, and which setting moves it.
/// </summary>
internal static class PortCheck
{
    /// <summary>The first of the gateway's ports another program holds, as a one-line message; null when all are free.</summary>
    public static string? FindTaken(AppHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!IsFree(Localhost(settings.GatewayPort)))
        {
            return settings.GatewayPortFromConfiguration
                ? $"port {settings.GatewayPort} (http.addr in {settings.ConfigPath}) is already in use by another program; " +
                  $"stop it, or choose another port in http.addr or with --{AppHostSettings.GatewayPortKey}=<port>"
                : $"port {settings.GatewayPort} is already in use by another program (a registry:2 container from the tutorial?); " +
                  $"stop it, or choose another port with --{AppHostSettings.GatewayPortKey}=<port>";
        }

        if (settings.HttpsPort is { } https && !IsFree(Localhost(https)))
        {
            return $"port {https} ({AppHostSettings.HttpsPortKey}) is already in use by another program; " +
                   $"stop it, or choose another port with --{AppHostSettings.HttpsPortKey}=<port>";
        }

        if (settings.Registry?.Http.Debug is { } debug && HostPort.TryParse(debug.Addr, out var address, out _)
            && DebugEndPoints(address) is { } endPoints && !IsFree(endPoints))
        {
            return $"http.debug.addr {debug.Addr} is already in use by another program; stop it, or choose another address in http.debug.addr";
        }

        return null;
    }

    /// <summary>Where Kestrel's <c>ListenLocalhost</c> binds: the IPv4 loopback, and the IPv6 one where the system has IPv6.</summary>
    private static IPEndPoint[] Localhost(int port) =>
        Socket.OSSupportsIPv6
            ? [new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.IPv6Loopback, port)]
            : [new IPEndPoint(IPAddress.Loopback, port)];

    /// <summary>Where the gateway's debug listener binds; null for a host name it would not bind (the gateway reports that).</summary>
    private static IPEndPoint[]? DebugEndPoints(HostPort address) =>
        string.IsNullOrEmpty(address.Host) || address.Host == "localhost" ? Localhost(address.Port)
        : IPAddress.TryParse(address.Host, out var ip) ? [new IPEndPoint(ip, address.Port)]
        : null;

    /// <summary>Whether every end point can be listened on now (a port of 0 is always free).</summary>
    private static bool IsFree(IPEndPoint[] endPoints)
    {
        foreach (var endPoint in endPoints)
        {
            if (endPoint.Port == 0)
            {
                continue;
            }

            using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(endPoint);
                socket.Listen();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return false;
            }
            catch (SocketException)
            {
                // An address this machine does not have, or a port it may not bind: the gateway's
                // own start reports those; only a port someone holds is refused here.
            }
        }

        return true;
    }
}
