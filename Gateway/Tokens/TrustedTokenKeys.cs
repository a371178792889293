using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using RegistryCloud.Configuration;

namespace RegistryCloud.Gateway.Tokens;

/// <summary>
/// The keys that may sign bearer tokens: the certificates of <c>auth.token.rootcertbundle</c>
/// (also the roots an <c>x5c</c> chain must reach), the keys of <c>auth.token.jwks</c>, and the
/// built-in token service's own key. Each key is found by every <c>kid</c> form issuers use:
/// its libtrust id, its RFC 7638 thumbprint, and a JWKS entry's explicit <c>kid</c>.
/// </summary>
internal sealed class TrustedTokenKeys
{
    private readonly Dictionary<string, AsymmetricAlgorithm> _byKeyId = new(StringComparer.Ordinal);

    public X509Certificate2Collection Roots { get; } = [];

    public int Count => _byKeyId.Count;

    public bool TryFind(string keyId, out AsymmetricAlgorithm key) => _byKeyId.TryGetValue(keyId, out key!);

    /// <summary>True when the given key's material is one of the trusted keys (a <c>jwk</c> header without a chain).</summary>
    public bool Contains(AsymmetricAlgorithm key) => _byKeyId.ContainsKey(TokenKeyIds.Thumbprint(key));

    public void Add(AsymmetricAlgorithm key, string? explicitKeyId = null)
    {
        _byKeyId[TokenKeyIds.Libtrust(key)] = key;
        _byKeyId[TokenKeyIds.Thumbprint(key)] = key;
        if (!string.IsNullOrEmpty(explicitKeyId))
        {
            _byKeyId[explicitKeyId] = key;
        }
    }

    /// <summary>Reads the configured files; a missing, unreadable or empty one stops start-up naming its key.</summary>
    public static TrustedTokenKeys Load(TokenAuthConfiguration token, AsymmetricAlgorithm? tokenServiceKey)
    {
        var keys = new TrustedTokenKeys();
        if (token.RootCertBundle is { } bundle)
        {
            X509Certificate2Collection certificates = [];
            try
            {
                certificates.ImportFromPemFile(bundle);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new RegistryConfigurationException($"auth.token.rootcertbundle: cannot read '{bundle}': {error.Message}");
            }

            if (certificates.Count == 0)
            {
                throw new RegistryConfigurationException($"auth.token.rootcertbundle: '{bundle}' holds no PEM certificate");
            }

            foreach (var certificate in certificates)
            {
                keys.Roots.Add(certificate);
                keys.Add(PublicKeyOf(certificate) ?? throw new RegistryConfigurationException(
                    $"auth.token.rootcertbundle: the certificate '{certificate.Subject}' in '{bundle}' has neither an RSA nor an EC key"));
            }
        }

        if (token.Jwks is { } jwks)
        {
            LoadJwks(keys, jwks);
        }

        if (tokenServiceKey is not null)
        {
            keys.Add(tokenServiceKey);
        }

        return keys.Count > 0 ? keys : throw new RegistryConfigurationException("auth.token: token auth requires at least one token signing key");
    }

    public static AsymmetricAlgorithm? PublicKeyOf(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey() ?? certificate.GetRSAPublicKey();

    private static void LoadJwks(TrustedTokenKeys keys, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!document.RootElement.TryGetProperty("keys", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new RegistryConfigurationException($"auth.token.jwks: '{path}' is not a JSON Web Key Set (no \"keys\" list)");
            }

            var index = 0;
            foreach (var jwk in list.EnumerateArray())
            {
                var key = JsonWebKeys.ToPublicKey(jwk)
                    ?? throw new RegistryConfigurationException($"auth.token.jwks: keys[{index}] in '{path}' is not an RSA or EC public key");
                keys.Add(key, jwk.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? kid.GetString() : null);
                index++;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException or FormatException or CryptographicException)
        {
            throw new RegistryConfigurationException($"auth.token.jwks: cannot read '{path}': {error.Message}");
        }
    }
}
