using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RegistryCloud.WebConsole.Security;

/// <summary>
/// How the console trusts the gateway over TLS: the system's roots, plus exactly the certificate
/// <c>WebConsole:RegistryCertificate</c> names (the gateway's own, often self-signed, as
/// <c>http.tls.certificate</c>). Redirects (blob reads sent to object storage) are followed.
/// </summary>
internal static class RegistryTrust
{
    public static HttpMessageHandler Handler(WebConsoleOptions options)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = true, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (string.IsNullOrEmpty(options.RegistryCertificate))
        {
            return handler;
        }

        X509Certificate2 pinned;
        try
        {
            // The certificate alone: CreateFromPemFile would want its private key in the file too.
            pinned = X509Certificate2.CreateFromPem(File.ReadAllText(options.RegistryCertificate));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"{WebConsoleOptions.Section}:RegistryCertificate: '{options.RegistryCertificate}' is not a readable PEM certificate ({e.Message}).", e);
        }

        handler.SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None
                || (certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned.RawData)),
        };
        return handler;
    }
}
