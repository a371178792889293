using System.Net;
using System.Security.Authentication;
using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Tls;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Tls;

/// <summary>Loading <c>http.tls</c> files: what loads, and what each problem says.</summary>
public sealed class TlsSetupTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_PEM_certificate_and_its_key_load_with_the_private_key(bool rsa)
    {
        using var server = TestCertificates.CreateServer(rsa);
        var (certificate, key) = TestCertificates.WritePem(server, _directory.Path, "server");

        using var loaded = TlsSetup.LoadCertificate(Tls(certificate, key));

        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(server.Thumbprint, loaded.Thumbprint);
    }

    [Fact]
    public void A_missing_certificate_file_is_named_with_its_key_and_path()
    {
        using var server = TestCertificates.CreateServer();
        var (_, key) = TestCertificates.WritePem(server, _directory.Path, "server");
        var missing = Path.Combine(_directory.Path, "missing.crt");

        var error = Assert.Throws<InvalidOperationException>(() => TlsSetup.LoadCertificate(Tls(missing, key)));

        Assert.Contains("http.tls.certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_file_is_named_with_its_key_and_path()
    {
        using var server = TestCertificates.CreateServer();
        var (certificate, _) = TestCertificates.WritePem(server, _directory.Path, "server");
        var missing = Path.Combine(_directory.Path, "missing.key");

        var error = Assert.Throws<InvalidOperationException>(() => TlsSetup.LoadCertificate(Tls(certificate, missing)));

        Assert.Contains("http.tls.key", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_does_not_match_the_certificate_names_both_files()
    {
        using var server = TestCertificates.CreateServer();
        using var other = TestCertificates.CreateServer();
        var (certificate, _) = TestCertificates.WritePem(server, _directory.Path, "server");
        var (_, otherKey) = TestCertificates.WritePem(other, _directory.Path, "other");

        var error = Assert.Throws<InvalidOperationException>(() => TlsSetup.LoadCertificate(Tls(certificate, otherKey)));

        Assert.Contains("http.tls.certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains("http.tls.key", error.Message, StringComparison.Ordinal);
        Assert.Contains(certificate, error.Message, StringComparison.Ordinal);
        Assert.Contains(otherKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_file_that_holds_no_key_is_refused_naming_both_files()
    {
        using var server = TestCertificates.CreateServer();
        var (certificate, _) = TestCertificates.WritePem(server, _directory.Path, "server");

        var error = Assert.Throws<InvalidOperationException>(() => TlsSetup.LoadCertificate(Tls(certificate, certificate)));

        Assert.Contains("http.tls.key", error.Message, StringComparison.Ordinal);
        Assert.Contains(certificate, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_CAs_load_every_certificate_of_every_file()
    {
        using var first = TestCertificates.CreateAuthority("first CA");
        using var second = TestCertificates.CreateAuthority("second CA");
        using var third = TestCertificates.CreateAuthority("third CA");
        var bundle = TestCertificates.WriteCertificatePem(_directory.Path, "bundle", first, second);
        var single = TestCertificates.WriteCertificatePem(_directory.Path, "single", third);

        var authorities = TlsSetup.LoadClientCas(Tls("unused.crt", "unused.key", bundle, single));

        Assert.Equal(
            new[] { first.Thumbprint, second.Thumbprint, third.Thumbprint }.Order(),
            authorities.Select(authority => authority.Thumbprint).Order());
    }

    [Fact]
    public void A_missing_client_CA_file_is_named_with_http_tls_clientcas()
    {
        var missing = Path.Combine(_directory.Path, "missing-ca.pem");

        var error = Assert.Throws<InvalidOperationException>(() => TlsSetup.LoadClientCas(Tls("unused.crt", "unused.key", missing)));

        Assert.Contains("http.tls.clientcas", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_CA_file_without_a_certificate_is_refused_naming_http_tls_clientcas()
    {
        using var server = TestCertificates.CreateServer();
        var (_, keyOnly) = TestCertificates.WritePem(server, _directory.Path, "not-a-ca");

        var error = Assert.Throws<InvalidOperationException>(() => TlsSetup.LoadClientCas(Tls("unused.crt", "unused.key", keyOnly)));

        Assert.Contains("http.tls.clientcas", error.Message, StringComparison.Ordinal);
        Assert.Contains(keyOnly, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tls1.3", SslProtocols.Tls13)]
    [InlineData("tls1.2", SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData("tls1.0", SslProtocols.Tls12 | SslProtocols.Tls13)]
    public void The_minimum_version_sets_the_protocols_with_tls12_as_the_floor(string minimumTls, SslProtocols expected)
    {
        Assert.Equal(expected, TlsSetup.Protocols(minimumTls));
    }

    [Theory]
    [InlineData(":5000", "[::]:5000")]
    [InlineData("0.0.0.0:443", "[::]:443")]
    [InlineData("localhost:5001", "127.0.0.1:5001")]
    [InlineData("127.0.0.1:0", "127.0.0.1:0")]
    [InlineData("[::1]:5002", "[::1]:5002")]
    public void A_listen_address_becomes_the_endpoint_Distribution_would_bind(string addr, string expected)
    {
        Assert.Equal(IPEndPoint.Parse(expected), TlsSetup.EndPoint(HostPort.Parse(addr)));
    }

    private static HttpTlsConfiguration Tls(string certificate, string key, params string[] clientCas) =>
        new() { Certificate = certificate, Key = key, ClientCas = clientCas };
}
