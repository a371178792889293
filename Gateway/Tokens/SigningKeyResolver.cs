using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RegistryCloud.Gateway.Tls;

namespace RegistryCloud.Gateway.Tokens;

/// <summary>
/// The key a token names, found as Distribution's token access controller finds it: the header's
/// <c>x5c</c> leaf, else its <c>jwk</c> (a trusted key as it is, or the leaf of the jwk's own
/// <c>x5c</c>), else its <c>kid</c> among the trusted keys. A key read from a certificate comes
/// with the chain that must still reach a <c>rootcertbundle</c> certificate:
/// <see cref="ReachesRoots"/> builds it offline (<see cref="OfflineChains"/>), and the verifier
/// asks only once the signature is good.
/// </summary>
internal sealed class SigningKeyResolver(TrustedTokenKeys keys, TimeProvider time)
{
    /// <summary>
    /// For keys a token brings along: the library would otherwise keep a signature provider for
    /// each in its shared cache, which anyone could fill with throwaway keys.
    /// </summary>
    private static readonly CryptoProviderFactory Uncached = new() { CacheSignatureProviders = false };

    public SigningKey? Find(JsonWebToken token, out string problem)
    {
        problem = "";
        if (token.TryGetHeaderValue<string[]>(JwtHeaderParameterNames.X5c, out var x5c) && x5c.Length > 0)
        {
            return FromCertificates(x5c, out problem);
        }

        if (token.TryGetHeaderValue<object>(JwtHeaderParameterNames.Jwk, out var jwk))
        {
            try
            {
                return FromJwk(jwk, out problem);
            }
            catch (Exception error) when (error is ArgumentException or CryptographicException)
            {
                return Fail("unreadable jwk header", out problem);
            }
        }

        if (token.Kid is { Length: > 0 } keyId)
        {
            return keys.TryFind(keyId, out var key) ? new SigningKey(key, null) : Fail($"token signed by untrusted key with ID '{keyId}'", out problem);
        }

        return Fail("token names no signing key (x5c, jwk or kid)", out problem);
    }

    /// <summary>Whether the <c>x5c</c> chain reaches a <c>rootcertbundle</c> certificate from what it holds alone.</summary>
    public bool ReachesRoots(IReadOnlyList<string> x5c, out string problem)
    {
        problem = "";
        var certificates = new X509Certificate2Collection();
        try
        {
            foreach (var entry in x5c)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(entry)));
            }

            var policy = OfflineChains.Policy(keys.Roots);
            policy.VerificationTime = time.GetUtcNow().UtcDateTime;
            for (var i = 1; i < certificates.Count; i++)
            {
                policy.ExtraStore.Add(certificates[i]);
            }

            if (keys.Roots.Count == 0 || !OfflineChains.Builds(certificates[0], policy))
            {
                problem = "certificate chain does not reach auth.token.rootcertbundle";
                return false;
            }

            return true;
        }
        catch (Exception error) when (error is FormatException or CryptographicException)
        {
            problem = "unreadable x5c certificate";
            return false;
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>A <c>jwk</c> header (RFC 7515 §4.1.3), read by the library: trusted as it is, or through its own <c>x5c</c>.</summary>
    private SigningKey? FromJwk(object? header, out string problem)
    {
        problem = "";
        if (header is not JsonElement { ValueKind: JsonValueKind.Object } element)
        {
            return Fail("unreadable jwk header", out problem);
        }

        var jwk = new JsonWebKey(element.GetRawText());
        if (TrustedTokenKeys.PublicKeyOf(jwk) is not { } key)
        {
            return Fail("unreadable jwk header", out problem);
        }

        // Present but empty is refused, as Distribution does; JsonWebKey.X5c cannot tell it from absent.
        if (element.TryGetProperty(JsonWebKeyParameterNames.X5c, out _))
        {
            var leaf = FromCertificates([.. jwk.X5c], out problem);
            return leaf is null ? null
                : TokenKeyIds.Thumbprint(leaf.Key) == TokenKeyIds.Thumbprint(key) ? leaf
                : Fail("jwk header does not match its certificate", out problem);
        }

        return keys.TryFind(TokenKeyIds.Thumbprint(key), out var trusted)
            ? new SigningKey(trusted, null)
            : Fail("untrusted jwk with no certificate chain", out problem);
    }

    /// <summary>The leaf's key of an <c>x5c</c> chain (standard base64 DER, RFC 7515 §4.1.6), read but not yet trusted.</summary>
    private static SigningKey? FromCertificates(IReadOnlyList<string> x5c, out string problem)
    {
        problem = "";
        if (x5c.Count == 0)
        {
            return Fail("empty x5c certificate chain", out problem);
        }

        try
        {
            using var leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(x5c[0]));
            if (TrustedTokenKeys.PublicKeyOf(leaf) is not { } key)
            {
                return Fail("leaf certificate has no RSA or EC key", out problem);
            }

            var securityKey = TrustedTokenKeys.SecurityKeyOf(key);
            securityKey.CryptoProviderFactory = Uncached;
            return new SigningKey(securityKey, x5c);
        }
        catch (Exception error) when (error is FormatException or CryptographicException)
        {
            return Fail("unreadable x5c certificate", out problem);
        }
    }

    private static SigningKey? Fail(string why, out string problem)
    {
        problem = why;
        return null;
    }
}

/// <summary>A key that may have signed a token, and the <c>x5c</c> chain that must vouch for it (null: trusted as it is).</summary>
internal sealed record SigningKey(SecurityKey Key, IReadOnlyList<string>? Chain);
