using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Tls;

namespace RegistryCloud.Gateway.Tokens;

/// <summary>
/// Verifies bearer tokens as Distribution's token access controller does: the signing key comes
/// from the header's <c>x5c</c> leaf, else its <c>jwk</c> (a trusted key, or one whose own
/// <c>x5c</c> leaf it is), else its <c>kid</c>; then the signature; then, for a key from a
/// certificate, its chain to a <c>rootcertbundle</c> certificate, built offline
/// (<see cref="OfflineChains"/>); then <c>iss</c> == issuer, <c>aud</c> naming the service, and
/// <c>exp</c>/<c>nbf</c> within <see cref="Leeway"/> of now.
/// </summary>
internal sealed class TokenVerifier(TokenAuthConfiguration options, TrustedTokenKeys keys, TimeProvider time)
{
    /// <summary>Clock skew allowed on <c>exp</c> and <c>nbf</c>: Distribution's 60 seconds (RFC 7519 §4.1.4).</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);

    /// <summary>Tokens whose signature, issuer and audience have been checked: a push sends one token dozens of times.</summary>
    private const int MaxVerified = 4096;

    private readonly ConcurrentDictionary<string, TokenClaims> _verified = new(StringComparer.Ordinal);

    public TokenAuthConfiguration Options => options;

    /// <summary>The token's claims when it is valid; otherwise null and why (for the log, never the client).</summary>
    public TokenClaims? Verify(string raw, out string problem)
    {
        if (!_verified.TryGetValue(raw, out var claims))
        {
            claims = VerifySigned(raw, out problem);
            if (claims is null)
            {
                return null;
            }

            if (_verified.Count >= MaxVerified)
            {
                _verified.Clear();
            }

            _verified[raw] = claims;
        }

        // Time is checked on every use; a remembered token still expires.
        var now = time.GetUtcNow();
        if (claims.Expires is not { } expires || now > FromUnixTime(expires) + Leeway)
        {
            _verified.TryRemove(raw, out _);
            problem = "expired token";
            return null;
        }

        if (claims.NotBefore is { } notBefore && now < FromUnixTime(notBefore) - Leeway)
        {
            problem = "token not yet valid";
            return null;
        }

        problem = "";
        return claims;
    }

    private TokenClaims? VerifySigned(string raw, out string problem)
    {
        if (!BearerToken.TryParse(raw, out var token))
        {
            problem = "malformed token";
            return null;
        }

        if (!JwsAlgorithms.Supported.Contains(token.Algorithm, StringComparer.Ordinal)
            || (options.SigningAlgorithms.Count > 0 && !options.SigningAlgorithms.Contains(token.Algorithm, StringComparer.Ordinal)))
        {
            problem = $"signing algorithm '{token.Algorithm}' is not accepted";
            return null;
        }

        // The signature is checked with the key the header names before any chain is built:
        // a forged token costs one signature check, never chain work.
        var key = SigningKey(token, out problem);
        if (key is null)
        {
            return null;
        }

        if (!JwsAlgorithms.Verify(token.Algorithm, key.Key, token.SignedBytes, token.Signature))
        {
            problem = "bad signature";
            return null;
        }

        if (key.Chain is { } chain && !ReachesRoots(chain, out problem))
        {
            return null;
        }

        var claims = token.Claims;
        if (claims.Issuer != options.Issuer)
        {
            problem = $"untrusted issuer '{claims.Issuer}'";
            return null;
        }

        if (!claims.Audiences.Contains(options.Service, StringComparer.Ordinal))
        {
            problem = $"token for another audience '{string.Join(",", claims.Audiences)}'";
            return null;
        }

        problem = "";
        return claims;
    }

    /// <summary>The key the header names, and the <c>x5c</c> chain it must still reach a root through, if any.</summary>
    private CandidateKey? SigningKey(BearerToken token, out string problem)
    {
        problem = "";
        if (token.CertificateChain.Count > 0)
        {
            return FromCertificates(token.CertificateChain, out problem);
        }

        if (token.JsonWebKey is { } jwk)
        {
            try
            {
                return FromJwk(jwk, out problem);
            }
            catch (Exception error) when (error is FormatException or CryptographicException or InvalidOperationException)
            {
                problem = "unreadable jwk header";
                return null;
            }
        }

        if (token.KeyId is { Length: > 0 } keyId)
        {
            if (keys.TryFind(keyId, out var key))
            {
                return new CandidateKey(key, null);
            }

            problem = $"token signed by untrusted key with ID '{keyId}'";
            return null;
        }

        problem = "token names no signing key (x5c, jwk or kid)";
        return null;
    }

    /// <summary>A <c>jwk</c> header: trusted as it is, or through its own <c>x5c</c> chain to the bundle.</summary>
    private CandidateKey? FromJwk(JsonElement jwk, out string problem)
    {
        problem = "";
        var key = JsonWebKeys.ToPublicKey(jwk);
        if (key is null)
        {
            problem = "unreadable jwk header";
            return null;
        }

        if (jwk.TryGetProperty("x5c", out var x5c) && x5c.ValueKind == JsonValueKind.Array)
        {
            var leaf = FromCertificates([.. x5c.EnumerateArray().Select(item => item.GetString() ?? "")], out problem);
            if (leaf is null || TokenKeyIds.Thumbprint(leaf.Key) != TokenKeyIds.Thumbprint(key))
            {
                problem = problem.Length > 0 ? problem : "jwk header does not match its certificate";
                return null;
            }

            return leaf;
        }

        if (keys.Contains(key))
        {
            return new CandidateKey(key, null);
        }

        problem = "untrusted jwk with no certificate chain";
        return null;
    }

    /// <summary>The leaf's key of an <c>x5c</c> chain (standard base64 DER, RFC 7515 §4.1.6), read but not yet trusted.</summary>
    private static CandidateKey? FromCertificates(IReadOnlyList<string> x5c, out string problem)
    {
        problem = "";
        if (x5c.Count == 0)
        {
            problem = "empty x5c certificate chain";
            return null;
        }

        try
        {
            using var leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(x5c[0]));
            return TrustedTokenKeys.PublicKeyOf(leaf) is { } key ? new CandidateKey(key, x5c) : Fail("leaf certificate has no RSA or EC key", out problem);
        }
        catch (Exception error) when (error is FormatException or CryptographicException)
        {
            problem = "unreadable x5c certificate";
            return null;
        }
    }

    /// <summary>Whether the <c>x5c</c> chain reaches a <c>rootcertbundle</c> certificate from what it holds alone.</summary>
    private bool ReachesRoots(IReadOnlyList<string> x5c, out string problem)
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

    /// <summary>Unix seconds as a time, clamped: a claim far outside the calendar must not throw.</summary>
    private static DateTimeOffset FromUnixTime(long seconds) =>
        seconds >= DateTimeOffset.MaxValue.ToUnixTimeSeconds() - 86_400 ? DateTimeOffset.MaxValue - TimeSpan.FromDays(1)
        : seconds <= DateTimeOffset.MinValue.ToUnixTimeSeconds() + 86_400 ? DateTimeOffset.MinValue + TimeSpan.FromDays(1)
        : DateTimeOffset.FromUnixTimeSeconds(seconds);

    private static CandidateKey? Fail(string why, out string problem)
    {
        problem = why;
        return null;
    }

    /// <summary>A key that may have signed the token, and the <c>x5c</c> chain that must vouch for it (null: trusted as it is).</summary>
    private sealed record CandidateKey(AsymmetricAlgorithm Key, IReadOnlyList<string>? Chain);
}
