using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Gateway.Tls;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Tls;

/// <summary>The self-signed certificate for local HTTPS: made once, kept, reused, replaced before it expires.</summary>
public sealed class DevelopmentCertificateTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    private string CertificatePath => Path.Combine(_directory.Path, DevelopmentCertificate.CertificateFileName);

    private string KeyPath => Path.Combine(_directory.Path, "private", DevelopmentCertificate.KeyFileName);

    [Fact]
    public void The_first_start_makes_a_certificate_for_localhost_with_an_owner_only_key_beside_nothing_else()
    {
        var (certificate, created) = DevelopmentCertificate.LoadOrCreate(_directory.Path, _time);
        using var _ = certificate;

        Assert.True(created);
        Assert.True(certificate.HasPrivateKey);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.Contains(System.Net.IPAddress.Loopback, names.EnumerateIPAddresses());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        }

        // A --cert-dir holds CA certificates (*.crt) and client pairs (*.cert/*.key): only the certificate may be there.
        Assert.Equal([CertificatePath], Directory.GetFiles(_directory.Path));
        Assert.Equal(certificate.Thumbprint, X509Certificate2.CreateFromPem(File.ReadAllText(CertificatePath)).Thumbprint);
    }

    [Fact]
    public void A_later_start_serves_the_kept_certificate()
    {
        var (first, _) = DevelopmentCertificate.LoadOrCreate(_directory.Path, _time);
        using var _1 = first;
        _time.Advance(TimeSpan.FromDays(100));

        var (second, created) = DevelopmentCertificate.LoadOrCreate(_directory.Path, _time);
        using var _2 = second;

        Assert.False(created);
        Assert.Equal(first.Thumbprint, second.Thumbprint);
    }

    [Fact]
    public void A_certificate_within_30_days_of_expiry_is_replaced()
    {
        var (first, _) = DevelopmentCertificate.LoadOrCreate(_directory.Path, _time);
        using var _1 = first;
        _time.SetUtcNow(first.NotAfter.ToUniversalTime().AddDays(-29));

        var (second, created) = DevelopmentCertificate.LoadOrCreate(_directory.Path, _time);
        using var _2 = second;

        Assert.True(created);
        Assert.NotEqual(first.Thumbprint, second.Thumbprint);
        Assert.True(second.NotAfter > _time.GetUtcNow().AddDays(300));
    }

    [Fact]
    public void A_damaged_key_makes_the_pair_anew()
    {
        var (first, _) = DevelopmentCertificate.LoadOrCreate(_directory.Path, _time);
        using var _1 = first;
        File.WriteAllText(KeyPath, "not a key");

        var (second, created) = DevelopmentCertificate.LoadOrCreate(_directory.Path, _time);
        using var _2 = second;

        Assert.True(created);
        Assert.True(second.HasPrivateKey);
        Assert.NotEqual(first.Thumbprint, second.Thumbprint);
    }

    public void Dispose() => _directory.Dispose();
}
