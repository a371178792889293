using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RegistryCloud.Gateway.Tls;

/// <summary>
/// The self-signed certificate the gateway makes for local HTTPS when the AppHost asks for it
/// (<c>RegistryCloud:HttpsPort</c>) and <c>http.tls</c> names none: made on first start, kept in
/// the data directory and reused after, so a user trusts it once. <c>gateway.crt</c> sits alone
/// in its directory, which is what docker's <c>certs.d</c> and skopeo's or podman's
/// <c>--cert-dir</c> expect (any <c>*.key</c> there would be taken for a client key); the key
/// lives in <c>private/</c>, readable by its owner only.
/// </summary>
internal static class DevelopmentCertificate
{
    public const string CertificateFileName = "gateway.crt";
    public const string KeyFileName = "gateway.key";

    /// <summary>A certificate this close to expiry is replaced rather than served.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(397);

    /// <summary>Loads the kept certificate, or makes (and keeps) a new one when there is none usable.</summary>
    public static (X509Certificate2 Certificate, bool Created) LoadOrCreate(string directory, TimeProvider time)
    {
        var certificatePath = Path.Combine(directory, CertificateFileName);
        var keyPath = Path.Combine(directory, "private", KeyFileName);
        var now = time.GetUtcNow();
        if (TryLoad(certificatePath, keyPath, now) is { } kept)
        {
            return (kept, false);
        }

        Directory.CreateDirectory(Path.Combine(directory, "private"));
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=RegistryCloud local gateway", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Lifetime));

        // Key first, owner-only from its first byte; the certificate last, so a half-written pair
        // is never taken for a usable one (a missing or unmatched key makes the next start remake both).
        WriteOwnerOnly(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        return (certificate, true);
    }

    private static X509Certificate2? TryLoad(string certificatePath, string keyPath, DateTimeOffset now)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return null;
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (certificate.HasPrivateKey && certificate.NotBefore <= now && certificate.NotAfter - RenewBefore > now)
            {
                return certificate;
            }

            certificate.Dispose();
            return null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static void WriteOwnerOnly(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a new file; an old one keeps its mode otherwise.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
