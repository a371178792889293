using System.Buffers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Authorization;

namespace RegistryCloud.Gateway.Tokens;

/// <summary>
/// Signs the built-in token service's JWTs with <c>tokenservice.key</c>: ES256/384/512 for an EC
/// key, RS256 for RSA. The header's <c>kid</c> is the key's libtrust id, which Distribution 2.x,
/// Distribution 3 with its fix, and this gateway all accept; with <c>tokenservice.certificate</c>
/// the header also carries <c>x5c</c>, which every verifier accepts through its root bundle.
/// </summary>
internal sealed class TokenIssuer
{
    private readonly AsymmetricAlgorithm _key;
    private readonly string _header;
    private readonly TokenServiceConfiguration _options;
    private readonly TokenAuthConfiguration _token;
    private readonly TimeProvider _time;

    public TokenIssuer(TokenServiceConfiguration options, TokenAuthConfiguration token, TimeProvider time)
    {
        _options = options;
        _token = token;
        _time = time;
        _key = LoadKey(options.Key);
        var certificate = options.Certificate is { } path ? LoadCertificate(path, _key) : null;
        Algorithm = JwsAlgorithms.For(_key);
        KeyId = TokenKeyIds.Libtrust(_key);
        var header = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(header))
        {
            writer.WriteStartObject();
            writer.WriteString("typ", "JWT");
            writer.WriteString("alg", Algorithm);
            writer.WriteString("kid", KeyId);
            if (certificate is not null)
            {
                writer.WriteStartArray("x5c");
                writer.WriteStringValue(Convert.ToBase64String(certificate.RawData));
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        _header = TokenKeyIds.Base64Url(header.WrittenSpan);
    }

    public string Algorithm { get; }

    public string KeyId { get; }

    /// <summary>The public half, which the gateway's own verifier trusts.</summary>
    public AsymmetricAlgorithm PublicKey => _key;

    public TimeSpan Expiration => _options.Expiration;

    /// <summary>A token for <paramref name="subject"/> (empty: anonymous) granting exactly <paramref name="access"/>.</summary>
    public (string Token, DateTimeOffset IssuedAt) Issue(string subject, IReadOnlyList<ResourceAccess> access)
    {
        var now = _time.GetUtcNow();
        var payload = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", _token.Issuer);
            writer.WriteString("sub", subject);
            writer.WriteString("aud", _token.Service);
            writer.WriteNumber("exp", (now + _options.Expiration).ToUnixTimeSeconds());
            writer.WriteNumber("nbf", now.ToUnixTimeSeconds());
            writer.WriteNumber("iat", now.ToUnixTimeSeconds());
            writer.WriteString("jti", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            writer.WriteStartArray("access");
            foreach (var entry in access)
            {
                writer.WriteStartObject();
                writer.WriteString("type", entry.Type);
                writer.WriteString("name", entry.Name);
                writer.WriteStartArray("actions");
                foreach (var action in entry.Actions)
                {
                    writer.WriteStringValue(action);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var signed = $"{_header}.{TokenKeyIds.Base64Url(payload.WrittenSpan)}";
        var signature = JwsAlgorithms.Sign(Algorithm, _key, Encoding.ASCII.GetBytes(signed));
        return ($"{signed}.{TokenKeyIds.Base64Url(signature)}", now);
    }

    private static AsymmetricAlgorithm LoadKey(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new RegistryConfigurationException($"tokenservice.key: cannot read '{path}': {error.Message}");
        }

        // Try EC first; a PEM of either kind imports into only one of the two.
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            _ = TokenKeyIds.CurveName(ec);
            return ec;
        }
        catch (Exception error) when (error is ArgumentException or CryptographicException or NotSupportedException)
        {
            ec.Dispose();
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception error) when (error is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new RegistryConfigurationException($"tokenservice.key: '{path}' holds no PEM EC (P-256, P-384, P-521) or RSA private key");
        }

        return rsa.KeySize >= 2048 ? rsa : throw new RegistryConfigurationException($"tokenservice.key: the RSA key in '{path}' has {rsa.KeySize} bits; at least 2048 are needed");
    }

    private static X509Certificate2 LoadCertificate(string path, AsymmetricAlgorithm key)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new RegistryConfigurationException($"tokenservice.certificate: cannot read '{path}': {error.Message}");
        }

        var certificateKey = TrustedTokenKeys.PublicKeyOf(certificate);
        return certificateKey is not null && TokenKeyIds.Thumbprint(certificateKey) == TokenKeyIds.Thumbprint(key)
            ? certificate
            : throw new RegistryConfigurationException($"tokenservice.certificate: '{path}' does not certify the key of tokenservice.key");
    }
}
