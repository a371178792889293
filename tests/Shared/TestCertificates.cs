using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// The tests' own PKI, made on the spot and written as PEM files the way <c>openssl</c> writes
/// them: server certificates for localhost and 127.0.0.1 (self-signed, or signed by a CA),
/// certificate authorities, intermediates, and client certificates they sign. ECDSA P-256 keys
/// unless asked otherwise, because they are made in a moment.
/// </summary>
public static class TestCertificates
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>A self-signed server certificate for localhost and 127.0.0.1, with its key.</summary>
    public static X509Certificate2 CreateServer(bool rsa = false)
    {
        if (rsa)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return SelfSignedServer(request);
        }

        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return SelfSignedServer(new CertificateRequest("CN=localhost", ecdsa, HashAlgorithmName.SHA256));
    }

    /// <summary>A server certificate for localhost and 127.0.0.1 signed by <paramref name="authority"/>, with its key.</summary>
    public static X509Certificate2 CreateServer(X509Certificate2 authority) =>
        Issue(authority, "CN=localhost", ServerAuth, LocalNames());

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

    /// <summary>An intermediate CA signed by <paramref name="authority"/>, with its key.</summary>
    public static X509Certificate2 CreateIntermediate(X509Certificate2 authority, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(authority, now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A client certificate for <paramref name="name"/>, signed by <paramref name="authority"/>, with its key.</summary>
    public static X509Certificate2 CreateClient(X509Certificate2 authority, string name) =>
        Issue(authority, $"CN={name}", ClientAuth);

    /// <summary>
    /// A client certificate for <paramref name="name"/> (usable as a token signer too) issued by
    /// <paramref name="issuer"/>, whose AIA <c>caIssuers</c> and CRL distribution point name
    /// <paramref name="fetch"/>: where a verifier that goes online would fetch from.
    /// </summary>
    public static X509Certificate2 CreateWithFetchUrls(X509Certificate2 issuer, string name, ICertificateFetchUrls fetch) =>
        Issue(
            issuer,
            $"CN={name}",
            ClientAuth,
            new X509AuthorityInformationAccessExtension(null, [fetch.IssuerUrl.AbsoluteUri]),
            CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([fetch.CrlUrl.AbsoluteUri]));

    /// <summary>Writes <c>name.crt</c> and its private key (PKCS#8) <c>name.key</c> into <paramref name="directory"/>; returns their paths.</summary>
    public static (string Certificate, string Key) WritePem(X509Certificate2 certificate, string directory, string name)
    {
        var paths = (Path.Combine(directory, name + ".crt"), Path.Combine(directory, name + ".key"));
        WritePemFiles(certificate, paths.Item1, paths.Item2);
        return paths;
    }

    /// <summary>Writes the certificate to <paramref name="certificatePath"/> and its private key (PKCS#8) to <paramref name="keyPath"/>.</summary>
    public static void WritePemFiles(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("the certificate has no private key to write");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>Writes only certificates, one after another, as a CA bundle is written; returns its path.</summary>
    public static string WriteCertificatePem(string directory, string name, params X509Certificate2[] certificates)
    {
        var path = Path.Combine(directory, name + ".pem");
        File.WriteAllText(path, string.Concat(certificates.Select(certificate => certificate.ExportCertificatePem() + "\n")));
        return path;
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
            WritePemFiles(client, Path.Combine(directory, "client.cert"), Path.Combine(directory, "client.key"));
        }

        return directory;
    }

    private static X509Extension LocalNames()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        return names.Build();
    }

    private static X509Certificate2 SelfSignedServer(CertificateRequest request)
    {
        request.CertificateExtensions.Add(LocalNames());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string subject, Oid usage, params X509Extension[] extra)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        foreach (var extension in extra)
        {
            request.CertificateExtensions.Add(extension);
        }

        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(authority, now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }
}

/// <summary>Where a certificate's AIA <c>caIssuers</c> and CRL distribution point send a verifier that goes online.</summary>
public interface ICertificateFetchUrls
{
    Uri IssuerUrl { get; }

    Uri CrlUrl { get; }
}
