using System.Net;

namespace RegistryCloud.Gateway.Limits;

/// <summary>
/// Who a request comes from, for <c>ratelimit.perclient</c>. The connection's peer, unless that
/// peer is one of <c>ratelimit.trustedproxies</c>: then <c>X-Forwarded-For</c> is read from its
/// right end — each proxy appends the address it received from — skipping addresses of trusted
/// proxies, and the first one that is not is the client (the left-most, if all are trusted).
/// Anything to its left was written by the client, or by proxies it chose, so it is never taken.
/// A header that is absent, or that holds something other than an address before the client is
/// found, leaves the peer as the client. An untrusted peer's header is never read.
/// </summary>
internal sealed class ClientAddress(IReadOnlyList<IPNetwork> trustedProxies)
{
    private const string ForwardedFor = "X-Forwarded-For";

    public IPAddress? Of(HttpContext context)
    {
        var peer = Normalize(context.Connection.RemoteIpAddress);
        if (peer is null || !IsTrusted(peer) || !context.Request.Headers.TryGetValue(ForwardedFor, out var header))
        {
            return peer;
        }

        // Several X-Forwarded-For fields read as one list, in order (RFC 9110 §5.3).
        var hops = string.Join(',', header.ToArray()).Split(',', StringSplitOptions.TrimEntries);
        IPAddress? leftMost = null;
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPEndPoint.TryParse(hops[i], out var hop))
            {
                return peer;
            }

            var address = Normalize(hop.Address)!;
            if (!IsTrusted(address))
            {
                return address;
            }

            leftMost = address;
        }

        return leftMost ?? peer;
    }

    private bool IsTrusted(IPAddress address)
    {
        foreach (var network in trustedProxies)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An IPv4 peer on a dual-stack socket shows as <c>::ffff:a.b.c.d</c>; ranges are written in IPv4.</summary>
    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
