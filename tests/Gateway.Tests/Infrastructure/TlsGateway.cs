using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>
/// The whole gateway on real Kestrel, with <c>http.tls</c> (certificate, key, client CAs) and
/// <c>http.addr</c> on 127.0.0.1 with a port the system picks, so the handshake is the real one.
/// </summary>
public sealed class TlsGateway : IAsyncLifetime
{
    private readonly TemporaryDirectory _files = new();
    private readonly GatewayFactory _factory;
    private Uri? _address;

    public TlsGateway()
    {
        using var otherAuthority = TestCertificates.CreateAuthority("some other CA");
        TrustedClient = TestCertificates.CreateClient(ClientAuthority, "alice");
        StrangerClient = TestCertificates.CreateClient(otherAuthority, "mallory");
        var (certificate, key) = TestCertificates.WritePem(Server, _files.Path, "server");
        var clientCas = TestCertificates.WriteCertificatePem(_files.Path, "client-cas", ClientAuthority, IntermediateAuthority);
        _factory = new GatewayFactory(new Dictionary<string, string>
        {
            ["REGISTRY_HTTP_ADDR"] = "127.0.0.1:0",
            ["REGISTRY_HTTP_TLS_CERTIFICATE"] = certificate,
            ["REGISTRY_HTTP_TLS_KEY"] = key,
            ["REGISTRY_HTTP_TLS_CLIENTCAS"] = $"[\"{clientCas}\"]",
        });
    }

    internal X509Certificate2 Server { get; } = TestCertificates.CreateServer();

    internal X509Certificate2 ClientAuthority { get; } = TestCertificates.CreateAuthority("RegistryCloud test client CA");

    /// <summary>
    /// The other CA in <c>http.tls.clientcas</c>, which signs intermediates: a client it trusts
    /// through one must send that intermediate, as the gateway fetches nothing.
    /// </summary>
    internal X509Certificate2 IntermediateAuthority { get; } = TestCertificates.CreateAuthority("RegistryCloud test root of intermediates");

    /// <summary>Signed by <see cref="ClientAuthority"/>, a CA in <c>http.tls.clientcas</c>.</summary>
    internal X509Certificate2 TrustedClient { get; }

    /// <summary>Signed by a CA the gateway was not told about.</summary>
    internal X509Certificate2 StrangerClient { get; }

    /// <summary>Where the gateway listens: <c>https://127.0.0.1:port</c>.</summary>
    internal Uri Address => _address ?? throw new InvalidOperationException("not started");

    public ValueTask InitializeAsync()
    {
        _address = Assert.Single(KestrelGateway.Start(_factory));
        return ValueTask.CompletedTask;
    }

    /// <summary>A client that trusts only this gateway's certificate and presents <paramref name="certificate"/>, if any.</summary>
    internal HttpClient CreateClient(X509Certificate2? certificate) =>
        CreateClient(options => options.ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate });

    /// <summary>
    /// A client that presents <paramref name="certificate"/> and, with it, exactly
    /// <paramref name="intermediates"/>: its chain is built offline, so the client itself fetches nothing either.
    /// </summary>
    internal HttpClient CreateClient(X509Certificate2 certificate, params X509Certificate2[] intermediates) =>
        CreateClient(options => options.ClientCertificateContext =
            SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection(intermediates), offline: true));

    private HttpClient CreateClient(Action<SslClientAuthenticationOptions> presenting)
    {
        var options = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetCertHashString() == Server.Thumbprint,
        };
        presenting(options);
        return new HttpClient(new SocketsHttpHandler { SslOptions = options }) { BaseAddress = Address };
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        Server.Dispose();
        ClientAuthority.Dispose();
        IntermediateAuthority.Dispose();
        TrustedClient.Dispose();
        StrangerClient.Dispose();
        _files.Dispose();
    }
}
