using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;
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
    private readonly Dictionary<string, AsymmetricSecurityKey> _byKeyId = new(StringComparer.Ordinal);

    public X509Certificate2Collection Roots { get; } = [];

    public int Count => _byKeyId.Count;

    /// <summary>The trusted key a <c>kid</c> names, in any of its forms; its thumbprint also finds the key a <c>jwk</c> header carries.</summary>
    public bool TryFind(string keyId, [MaybeNullWhen(false)] out AsymmetricSecurityKey key) => _byKeyId.TryGetValue(keyId, out key);

    public void Add(AsymmetricAlgorithm key, string? explicitKeyId = null)
    {
        if (!TryAdd(key, explicitKeyId))
        {
            throw new ArgumentException("only RSA keys and EC keys on P-256, P-384 or P-521 sign tokens", nameof(key));
        }
    }

    /// <summary>Adds an RSA key or an EC key on a JOSE curve under each of its ids; false for anything else.</summary>
    public bool TryAdd(AsymmetricAlgorithm? key, string? explicitKeyId = null)
    {
        if (key is not (RSA or ECDsa))
        {
            return false;
        }

        var securityKey = SecurityKeyOf(key);
        string thumbprint;
        try
        {
            thumbprint = TokenKeyIds.Thumbprint(securityKey);
        }
        catch (ArgumentException)
        {
            // The library computes thumbprints only for the curves JOSE names (RFC 7518 §6.2.1.1).
            return false;
        }

        _byKeyId[TokenKeyIds.Libtrust(key)] = securityKey;
        _byKeyId[thumbprint] = securityKey;
        if (!string.IsNullOrEmpty(explicitKeyId))
        {
            _byKeyId[explicitKeyId] = securityKey;
        }

        return true;
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
                if (!keys.TryAdd(PublicKeyOf(certificate)))
                {
                    throw new RegistryConfigurationException(
                        $"auth.token.rootcertbundle: the certificate '{certificate.Subject}' in '{bundle}' has neither an RSA key nor an EC key on P-256, P-384 or P-521");
                }
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

    /// <summary>The key a JWK describes, read by the identity model library; null unless RSA, or EC on a JOSE curve.</summary>
    public static AsymmetricAlgorithm? PublicKeyOf(JsonWebKey jwk) =>
        !JsonWebKeyConverter.TryConvertToSecurityKey(jwk, out var key) ? null : key switch
        {
            ECDsaSecurityKey ec => ec.ECDsa,
            RsaSecurityKey { Rsa: { } rsa } => rsa,
            RsaSecurityKey rsa => RSA.Create(rsa.Parameters),
            _ => null,
        };

    /// <summary>The one algorithm an EC key signs with: its curve names it (RFC 7518 §3.4).</summary>
    public static string EcdsaAlgorithm(ECDsa key) => key.KeySize switch
    {
        384 => SecurityAlgorithms.EcdsaSha384,
        521 => SecurityAlgorithms.EcdsaSha512,
        _ => SecurityAlgorithms.EcdsaSha256,
    };

    /// <summary>The library's view of an RSA or EC key, which its token handler signs and verifies with.</summary>
    public static AsymmetricSecurityKey SecurityKeyOf(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new RsaSecurityKey(rsa),
        ECDsa ec => new ECDsaSecurityKey(ec),
        _ => throw new NotSupportedException($"{key.GetType().Name} keys cannot sign tokens"),
    };

    private static void LoadJwks(TrustedTokenKeys keys, string path)
    {
        try
        {
            var set = new JsonWebKeySet(File.ReadAllText(path));
            if (set.Keys.Count == 0)
            {
                throw new RegistryConfigurationException($"auth.token.jwks: '{path}' is not a JSON Web Key Set (no \"keys\" list)");
            }

            for (var index = 0; index < set.Keys.Count; index++)
            {
                if (!keys.TryAdd(PublicKeyOf(set.Keys[index]), set.Keys[index].Kid))
                {
                    throw new RegistryConfigurationException($"auth.token.jwks: keys[{index}] in '{path}' is not an RSA or EC public key");
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            throw new RegistryConfigurationException($"auth.token.jwks: cannot read '{path}': {error.Message}");
        }
    }
}
