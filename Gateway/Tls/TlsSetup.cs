using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using RegistryCloud.Configuration;

namespace RegistryCloud.Gateway.Tls;

/// <summary>
/// The gateway's TLS from <c>http.tls</c>: a PEM certificate and key (what
/// <c>openssl req -newkey rsa:2048 -nodes -keyout domain.key -x509 -out domain.crt</c> writes),
/// optional client CAs for mutual TLS, a minimum protocol version, HTTP/2 by ALPN. Every problem
/// with the files stops start-up with a message naming the key and the file.
/// </summary>
internal static class TlsSetup
{
    /// <summary>The client-authentication extended key usage a client certificate must allow.</summary>
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    public static X509Certificate2 LoadCertificate(HttpTlsConfiguration tls)
    {
        RequireFile("http.tls.certificate", tls.Certificate);
        RequireFile("http.tls.key", tls.Key);
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(tls.Certificate, tls.Key);
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"http.tls.key: '{tls.Key}' holds no private key for http.tls.certificate '{tls.Certificate}'.");
            }

            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"http.tls.certificate / http.tls.key: '{tls.Certificate}' and '{tls.Key}' are not a matching PEM certificate and private key ({e.Message}).", e);
        }
    }

    public static X509Certificate2Collection LoadClientCas(HttpTlsConfiguration tls)
    {
        var authorities = new X509Certificate2Collection();
        foreach (var path in tls.ClientCas)
        {
            RequireFile("http.tls.clientcas", path);
            var before = authorities.Count;
            try
            {
                authorities.ImportFromPemFile(path);
            }
            catch (CryptographicException e)
            {
                throw new InvalidOperationException($"http.tls.clientcas: '{path}' is not a PEM certificate file ({e.Message}).", e);
            }

            // A file with no certificate would leave the list empty and mutual TLS silently off.
            if (authorities.Count == before)
            {
                throw new InvalidOperationException($"http.tls.clientcas: '{path}' holds no PEM certificate.");
            }
        }

        return authorities;
    }

    public static SslProtocols Protocols(string minimumTls) => minimumTls switch
    {
        "tls1.3" => SslProtocols.Tls13,
        // TLS 1.0 and 1.1 are refused by current .NET on Linux anyway; 1.2 is the floor.
        _ => SslProtocols.Tls12 | SslProtocols.Tls13,
    };

    /// <summary>Configures one HTTPS listener with the certificate, protocols and client CAs.</summary>
    public static void UseRegistryTls(this ListenOptions listen, HttpConfiguration http, X509Certificate2 certificate, X509Certificate2Collection clientCas)
    {
        var tls = http.Tls!;
        listen.Protocols = http.Http2Disabled ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
        listen.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            https.SslProtocols = Protocols(tls.MinimumTls);

            // Kestrel's default checks revocation online: the CRL and AIA URLs a client's
            // certificate names would be fetched during the handshake (see OfflineChains).
            https.CheckCertificateRevocation = false;
            if (clientCas.Count > 0)
            {
                var (mode, verify) = ClientAuth(tls.ClientAuth);
                https.ClientCertificateMode = mode;
                https.OnAuthenticate = (_, ssl) => ssl.CertificateChainPolicy = OfflineChains.Policy(clientCas, ClientAuthentication);
                https.ClientCertificateValidation = (client, presented, _) => !verify || ChainsTo(client, presented, clientCas);
            }
        });
    }

    /// <summary>
    /// <c>http.tls.clientauth</c> in Go's terms: whether a client certificate is asked for or
    /// required, and whether one that is presented must chain to the client CAs.
    /// </summary>
    public static (ClientCertificateMode Mode, bool Verify) ClientAuth(string clientAuth) => clientAuth switch
    {
        "request-client-cert" => (ClientCertificateMode.AllowCertificate, false),
        "require-any-client-cert" => (ClientCertificateMode.RequireCertificate, false),
        "verify-client-cert-if-given" => (ClientCertificateMode.AllowCertificate, true),
        _ => (ClientCertificateMode.RequireCertificate, true),
    };

    public static IPEndPoint EndPoint(HostPort address) =>
        string.IsNullOrEmpty(address.Host) || address.Host is "0.0.0.0" or "::" or "*"
            ? new IPEndPoint(IPAddress.IPv6Any, address.Port)
            : new IPEndPoint(address.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(address.Host), address.Port);

    /// <summary>
    /// Whether the client's certificate chains to a client CA through the intermediates it sent
    /// (the handshake's chain holds them in its extra store); nothing is fetched.
    /// </summary>
    private static bool ChainsTo(X509Certificate2 client, X509Chain? handshake, X509Certificate2Collection authorities)
    {
        var policy = OfflineChains.Policy(authorities, ClientAuthentication);
        if (handshake is not null)
        {
            policy.ExtraStore.AddRange(handshake.ChainPolicy.ExtraStore);
        }

        return OfflineChains.Builds(client, policy);
    }

    private static void RequireFile(string key, string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{key}: file '{path}' does not exist.");
        }
    }
}
