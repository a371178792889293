using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RegistryCloud.EndToEnd.Tests.Security;

/// <summary>
/// The security tests' own certificate authorities, made on the spot and written as PEM the way
/// <c>openssl</c> writes them: a server CA and the gateway's certificate for localhost and
/// 127.0.0.1 it signs, and client CAs with client certificates. ECDSA P-256: made in a moment.
/// </summary>
internal static class TestPki
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    public static X509Certificate2 CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-2), now.AddDays(2));
    }

    /// <summary>The gateway's certificate: localhost and 127.0.0.1, signed by <paramref name="authority"/>.</summary>
    public static X509Certificate2 CreateServer(X509Certificate2 authority)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        return Issue(authority, "CN=localhost", ServerAuth, names.Build());
    }

    /// <summary>A client certificate for <paramref name="name"/>, signed by <paramref name="authority"/>.</summary>
    public static X509Certificate2 CreateClient(X509Certificate2 authority, string name) =>
        Issue(authority, $"CN={name}", ClientAuth, extra: null);

    /// <summary>Writes the certificate to <paramref name="certificatePath"/> and its PKCS#8 key to <paramref name="keyPath"/>.</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the certificate has no private key to write");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>
    /// A <c>--cert-dir</c> as containers/image reads it: <c>ca.crt</c> to trust, and
    /// <c>client.cert</c>/<c>client.key</c> to present when a client certificate is given.
    /// </summary>
    public static string WriteCertificateDirectory(string directory, X509Certificate2 serverAuthority, X509Certificate2? client = null)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "ca.crt"), serverAuthority.ExportCertificatePem() + "\n");
        if (client is not null)
        {
            WritePem(client, Path.Combine(directory, "client.cert"), Path.Combine(directory, "client.key"));
        }

        return directory;
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string subject, Oid usage, X509Extension? extra)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        if (extra is not null)
        {
            request.CertificateExtensions.Add(extra);
        }

        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(authority, now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }
}
