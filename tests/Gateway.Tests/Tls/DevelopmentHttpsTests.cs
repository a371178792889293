using System.Net;
using System.Security.Cryptography.X509Certificates;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Gateway.Tls;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Tls;

/// <summary>
/// The AppHost's local HTTPS (<c>REGISTRYCLOUD_HTTPS_PORT</c>): the gateway on real Kestrel serves
/// the registry on HTTPS with the certificate it kept, and on plain HTTP as before.
/// </summary>
public sealed class DevelopmentHttpsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_registry_answers_on_https_with_the_kept_certificate_and_on_plain_http()
    {
        using var directory = new TemporaryDirectory();
        var (httpPort, httpsPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        await using var gateway = new GatewayFactory(new Dictionary<string, string>
        {
            ["REGISTRYCLOUD_HTTP_PORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REGISTRYCLOUD_HTTPS_PORT"] = httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REGISTRYCLOUD_DEV_CERTIFICATE_DIRECTORY"] = directory.Path,
        });
        gateway.UseKestrel();
        gateway.StartServer();
        using var kept = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(directory.Path, DevelopmentCertificate.CertificateFileName)));

        // Trust exactly the kept certificate, as a user who copied it into their trust store would.
        using var https = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == kept.Thumbprint },
        });
        using var secure = await https.GetAsync($"https://localhost:{httpsPort}/v2/", Token);
        using var plain = await new HttpClient().GetAsync($"http://localhost:{httpPort}/v2/", Token);

        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal("registry/2.0", string.Join(",", secure.Headers.GetValues("Docker-Distribution-API-Version")));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    [Fact]
    public async Task An_https_port_without_a_certificate_directory_stops_start_up_naming_the_variable()
    {
        await using var gateway = new GatewayFactory(new Dictionary<string, string> { ["REGISTRYCLOUD_HTTPS_PORT"] = "5443" });

        var error = Assert.ThrowsAny<Exception>(() => gateway.Server);

        Assert.Contains("REGISTRYCLOUD_DEV_CERTIFICATE_DIRECTORY", error.ToString(), StringComparison.Ordinal);
    }
}
