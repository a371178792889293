namespace RegistryCloud.Configuration;

/// <summary>Reads <c>http</c>: listen address, URLs, headers, debug server and TLS.</summary>
internal static class HttpSectionReader
{
    private static readonly string[] ClientAuthModes =
    [
        "request-client-cert", "require-any-client-cert", "verify-client-cert-if-given", "require-and-verify-client-cert",
    ];

    private static readonly string[] TlsVersions = ["tls1.0", "tls1.1", "tls1.2", "tls1.3"];

    public static HttpConfiguration Read(ConfigSection root, ConfigContext context)
    {
        var http = root.Section("http");
        var net = http.OneOf("net", "tcp", "tcp4", "tcp6", "unix") ?? "tcp";
        var addr = net == "unix" ? http.String("addr") : http.Address("addr");
        if (string.IsNullOrEmpty(addr))
        {
            addr = net == "unix"
                ? throw http.Error("addr", "is required (a socket path) when http.net is unix")
                : HttpConfiguration.DefaultAddr;
        }

        var prefix = http.String("prefix");
        if (prefix is { Length: > 0 } and not "/")
        {
            http.NotApplied("prefix", "requests are served at /v2/");
        }

        var defaults = new HttpConfiguration();
        return new HttpConfiguration
        {
            Addr = addr,
            Net = net,
            Host = http.HttpUrl("host"),
            Prefix = prefix,
            Secret = http.String("secret"),
            RelativeUrls = http.Bool("relativeurls") ?? false,
            DrainTimeout = http.Duration("draintimeout") ?? defaults.DrainTimeout,
            Headers = http.Headers("headers"),
            Debug = ReadDebug(http.Section("debug"), context),
            Tls = ReadTls(http.Section("tls")),
            Http2Disabled = http.Section("http2").Bool("disabled") ?? false,
            H2cEnabled = http.Section("h2c").Bool("enabled") ?? false,
        };
    }

    private static HttpDebugConfiguration? ReadDebug(ConfigSection debug, ConfigContext context)
    {
        var addr = debug.Address("addr");
        var prometheus = debug.Section("prometheus");
        var enabled = prometheus.Bool("enabled") ?? false;
        var path = prometheus.String("path") ?? "/metrics";
        if (addr is null)
        {
            if (enabled)
            {
                context.Warn($"{prometheus.Path}: ignored, because {debug.PathOf("addr")} is not set");
            }

            return null;
        }

        return new HttpDebugConfiguration { Addr = addr, PrometheusEnabled = enabled, PrometheusPath = path };
    }

    private static HttpTlsConfiguration? ReadTls(ConfigSection tls)
    {
        tls.NotImplemented("letsencrypt", "automatic certificates from Let's Encrypt");
        var certificate = tls.String("certificate");
        var key = tls.String("key");
        var clientCas = tls.StringList("clientcas");
        var clientAuth = tls.OneOf("clientauth", ClientAuthModes);
        var minimumTls = tls.OneOf("minimumtls", TlsVersions);
        var cipherSuites = tls.StringList("ciphersuites");
        if (cipherSuites.Count > 0)
        {
            tls.NotApplied("ciphersuites", "TLS uses the operating system's default cipher suites");
        }

        if (certificate is null && key is null)
        {
            return clientCas.Count > 0 || clientAuth is not null || minimumTls is not null || cipherSuites.Count > 0
                ? throw tls.Error("certificate", "is required when other http.tls settings are given")
                : null;
        }

        var defaults = new HttpTlsConfiguration { Certificate = string.Empty, Key = string.Empty };
        return new HttpTlsConfiguration
        {
            Certificate = certificate ?? throw tls.Error("certificate", "is required when http.tls.key is set"),
            Key = key ?? throw tls.Error("key", "is required when http.tls.certificate is set"),
            ClientCas = clientCas,
            ClientAuth = clientAuth ?? defaults.ClientAuth,
            MinimumTls = minimumTls ?? defaults.MinimumTls,
            CipherSuites = CheckCipherSuites(tls, cipherSuites),
        };
    }

    private static IReadOnlyList<string> CheckCipherSuites(ConfigSection tls, IReadOnlyList<string> suites)
    {
        for (var i = 0; i < suites.Count; i++)
        {
            if (!TlsCipherSuites.IsKnown(suites[i]))
            {
                throw new RegistryConfigurationException($"{tls.PathOf("ciphersuites")}[{i}]: '{suites[i]}' is not a TLS cipher suite name (e.g. TLS_AES_128_GCM_SHA256)");
            }
        }

        return suites;
    }
}
