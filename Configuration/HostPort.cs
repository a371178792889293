using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RegistryCloud.Configuration;

/// <summary>
/// A Go-style <c>host:port</c> listen or dial address (<c>:5000</c>, <c>localhost:6379</c>,
/// <c>[::1]:5001</c>). An empty host means every interface.
/// </summary>
public readonly record struct HostPort(string Host, int Port)
{
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal)
            ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static HostPort Parse(string text) =>
        TryParse(text, out var address, out var problem) ? address : throw new FormatException($"'{text}' {problem}.");

    /// <summary>Reads an address; on failure <paramref name="problem"/> says what is wrong with it.</summary>
    public static bool TryParse(string? text, out HostPort address, [NotNullWhen(false)] out string? problem)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "is not a host:port address";
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            problem = "has no port (use host:port, e.g. :5000)";
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') != host.EndsWith(']'))
        {
            problem = "has an unbalanced [ ] around its host";
            return false;
        }

        if (host.StartsWith('['))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            problem = "is an IPv6 address without [ ] around it";
            return false;
        }

        var portText = text[(colon + 1)..];
        if (portText.Length == 0 || portText.Length > 6 || !portText.All(char.IsAsciiDigit))
        {
            problem = "has no numeric port";
            return false;
        }

        var port = int.Parse(portText, NumberStyles.None, CultureInfo.InvariantCulture);
        if (port > 65535)
        {
            problem = "has a port out of range (0-65535)";
            return false;
        }

        address = new HostPort(host, port);
        problem = null;
        return true;
    }
}
