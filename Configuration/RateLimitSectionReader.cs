using System.Net;
using System.Net.Sockets;

namespace RegistryCloud.Configuration;

/// <summary>
/// Reads <c>ratelimit</c>: <c>perclient</c> and <c>peruser</c>, each requests per period with a
/// burst, and <c>trustedproxies</c>, a list of addresses and CIDR ranges.
/// </summary>
internal static class RateLimitSectionReader
{
    public static RateLimitConfiguration Read(ConfigSection root)
    {
        var section = root.Section("ratelimit");
        return new RateLimitConfiguration
        {
            PerClient = ReadRule(section, "perclient"),
            PerUser = ReadRule(section, "peruser"),
            TrustedProxies = section.ParsedList<IPNetwork>("trustedproxies", ParseNetwork, "an IP address or CIDR"),
        };
    }

    /// <summary>
    /// A CIDR range (<c>10.0.0.0/8</c>), or one address as a range of one. A range whose address
    /// has bits set past its prefix (<c>10.0.0.1/8</c>) is refused rather than widened: in a list
    /// of whom to trust, it is as likely a mistyped single address as the network around it.
    /// </summary>
    private static IPNetwork? ParseNetwork(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return IPAddress.TryParse(text, out var address)
                ? new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
                : null;
        }

        return IPNetwork.TryParse(text, out var network)
            && IPAddress.TryParse(text.AsSpan(0, slash), out var written)
            && written.Equals(network.BaseAddress)
                ? network
                : null;
    }

    private static RateLimitRule? ReadRule(ConfigSection parent, string key)
    {
        if (!parent.Has(key))
        {
            return null;
        }

        var rule = parent.Section(key);
        var requests = rule.Int("requests", minimum: 1) ?? throw rule.Error("requests", "is required: how many requests each period allows");
        var period = rule.Duration("period") ?? TimeSpan.FromSeconds(1);
        if (period < TimeSpan.FromMilliseconds(1))
        {
            throw rule.Error("period", "must be at least 1ms");
        }

        var burst = rule.Int("burst", minimum: 1) ?? requests;
        return new RateLimitRule(requests, period, burst);
    }
}
