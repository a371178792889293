using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RegistryCloud.Tests.Shared;
using RegistryCloud.WebConsole.Security;

namespace RegistryCloud.WebConsole.Tests.Security;

/// <summary><c>WebConsole:RegistryCertificate</c>: the gateway's certificate, as <c>http.tls.certificate</c> holds it.</summary>
public sealed class RegistryTrustTests
{
    [Fact]
    public void A_certificate_file_without_its_private_key_is_trusted()
    {
        using var directory = new TemporaryDirectory();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(directory.Path, "server.crt");
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");

        using var handler = RegistryTrust.Handler(new WebConsoleOptions { RegistryCertificate = path });

        Assert.NotNull(((SocketsHttpHandler)handler).SslOptions.RemoteCertificateValidationCallback);
    }

    [Fact]
    public void A_file_that_is_no_certificate_is_refused_naming_the_setting()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "server.crt");
        File.WriteAllText(path, "not a certificate\n");

        var error = Assert.Throws<InvalidOperationException>(() => RegistryTrust.Handler(new WebConsoleOptions { RegistryCertificate = path }));

        Assert.StartsWith("WebConsole:RegistryCertificate:", error.Message, StringComparison.Ordinal);
    }
}
