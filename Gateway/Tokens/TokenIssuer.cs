using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Authorization;

namespace RegistryCloud.Gateway.Tokens;

/// <summary>
/// Signs the built-in token service's JWTs with <c>tokenservice.key</c>, through the identity
/// model library's <see cref="JsonWebTokenHandler"/>: ES256/384/512 for an EC key, RS256 for RSA.
/// The header's <c>kid</c> is the key's libtrust id, which Distribution 2.x, Distribution 3 with
/// its fix, and this gateway all accept; with <c>tokenservice.certificate</c> the header also
/// carries <c>x5c</c>, which every verifier accepts through its root bundle.
/// </summary>
internal sealed class TokenIssuer
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly SigningCredentials _credentials;
    private readonly Dictionary<string, object>? _certificateHeader;
    private readonly TokenServiceConfiguration _options;
    private readonly TokenAuthConfiguration _token;
    private readonly TimeProvider _time;

    public TokenIssuer(TokenServiceConfiguration options, TokenAuthConfiguration token, TimeProvider time)
    {
        _options = options;
        _token = token;
        _time = time;
        PublicKey = LoadKey(options.Key);
        Algorithm = PublicKey is ECDsa ec ? TrustedTokenKeys.EcdsaAlgorithm(ec) : SecurityAlgorithms.RsaSha256;

        var signingKey = TrustedTokenKeys.SecurityKeyOf(PublicKey);
        signingKey.KeyId = TokenKeyIds.Libtrust(PublicKey);
        _credentials = new SigningCredentials(signingKey, Algorithm);
        if (options.Certificate is { } path)
        {
            using var certificate = LoadCertificate(path, PublicKey);
            _certificateHeader = new() { [JwtHeaderParameterNames.X5c] = new[] { Convert.ToBase64String(certificate.RawData) } };
        }
    }

    public string Algorithm { get; }

    /// <summary>The key, whose public half the gateway's own verifier trusts.</summary>
    public AsymmetricAlgorithm PublicKey { get; }

    public TimeSpan Expiration => _options.Expiration;

    /// <summary>A token for <paramref name="subject"/> (empty: anonymous) granting exactly <paramref name="access"/>.</summary>
    public (string Token, DateTimeOffset IssuedAt) Issue(string subject, IReadOnlyList<ResourceAccess> access)
    {
        var now = _time.GetUtcNow();
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _token.Issuer,
            Audience = _token.Service,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + _options.Expiration).UtcDateTime,
            SigningCredentials = _credentials,
            AdditionalHeaderClaims = _certificateHeader,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [JwtRegisteredClaimNames.Jti] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                [TokenClaims.AccessClaim] = TokenClaims.ToClaim(access),
            },
        });
        return (token, now);
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
            // Throws for a curve JOSE does not name, which no verifier could check.
            _ = TokenKeyIds.Thumbprint(ec);
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
        return certificateKey is not null && TokenKeyIds.Libtrust(certificateKey) == TokenKeyIds.Libtrust(key)
            ? certificate
            : throw new RegistryConfigurationException($"tokenservice.certificate: '{path}' does not certify the key of tokenservice.key");
    }
}
