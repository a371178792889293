using System.Text;

namespace RegistryCloud.Configuration;

/// <summary><c>http</c>: the registry's HTTP interface.</summary>
public sealed record HttpConfiguration
{
    public const string DefaultAddr = ":5000";

    /// <summary><c>http.addr</c>: <c>host:port</c> for TCP, a socket path for <c>net: unix</c>.</summary>
    public string Addr { get; init; } = DefaultAddr;

    /// <summary><c>http.net</c>: tcp (default), tcp4, tcp6 or unix.</summary>
    public string Net { get; init; } = "tcp";

    /// <summary><c>http.host</c>: the externally reachable absolute URL, when URLs must not come from requests.</summary>
    public string? Host { get; init; }

    /// <summary><c>http.prefix</c>: a path prefix before <c>/v2/</c>.</summary>
    public string? Prefix { get; init; }

    /// <summary><c>http.secret</c>: signs upload state handed to clients; every replica must share it.</summary>
    public string? Secret { get; init; }

    /// <summary><c>http.relativeurls</c>.</summary>
    public bool RelativeUrls { get; init; }

    /// <summary><c>http.draintimeout</c>.</summary>
    public TimeSpan DrainTimeout { get; init; }

    /// <summary><c>http.headers</c>: headers added to every response, name to values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary><c>http.debug</c>; null unless <c>http.debug.addr</c> is set.</summary>
    public HttpDebugConfiguration? Debug { get; init; }

    /// <summary><c>http.tls</c>; null unless a certificate and key are set.</summary>
    public HttpTlsConfiguration? Tls { get; init; }

    /// <summary><c>http.http2.disabled</c>.</summary>
    public bool Http2Disabled { get; init; }

    /// <summary><c>http.h2c.enabled</c>.</summary>
    public bool H2cEnabled { get; init; }

    /// <summary>The TCP address to listen on; null for a unix socket.</summary>
    public HostPort? ListenAddress => Net == "unix" ? null : HostPort.Parse(Addr);

    /// <summary>The record's members, with secrets masked so that logging it leaks nothing.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder("HttpConfiguration { ");
        (this with { Secret = Secret is null ? null : RegistryConfigurationWriter.Mask }).PrintMembers(builder);
        return builder.Append(" }").ToString();
    }
}

/// <summary><c>http.debug</c>: the debug server.</summary>
public sealed record HttpDebugConfiguration
{
    /// <summary><c>http.debug.addr</c>.</summary>
    public required string Addr { get; init; }

    /// <summary><c>http.debug.prometheus.enabled</c>.</summary>
    public bool PrometheusEnabled { get; init; }

    /// <summary><c>http.debug.prometheus.path</c>.</summary>
    public string PrometheusPath { get; init; } = "/metrics";
}

/// <summary><c>http.tls</c>: PEM certificate and key, optional client CAs.</summary>
public sealed record HttpTlsConfiguration
{
    /// <summary><c>http.tls.certificate</c>: path to the PEM certificate (chain).</summary>
    public required string Certificate { get; init; }

    /// <summary><c>http.tls.key</c>: path to the PEM private key.</summary>
    public required string Key { get; init; }

    /// <summary><c>http.tls.clientcas</c>: PEM files of CAs that client certificates must chain to.</summary>
    public IReadOnlyList<string> ClientCas { get; init; } = [];

    /// <summary><c>http.tls.clientauth</c>; applies only when <see cref="ClientCas"/> is not empty.</summary>
    public string ClientAuth { get; init; } = "require-and-verify-client-cert";

    /// <summary><c>http.tls.minimumtls</c>: tls1.0, tls1.1, tls1.2 (default) or tls1.3.</summary>
    public string MinimumTls { get; init; } = "tls1.2";

    /// <summary><c>http.tls.ciphersuites</c>: Go cipher suite names; empty means the defaults.</summary>
    public IReadOnlyList<string> CipherSuites { get; init; } = [];
}
