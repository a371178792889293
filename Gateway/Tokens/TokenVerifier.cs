using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RegistryCloud.Configuration;

namespace RegistryCloud.Gateway.Tokens;

/// <summary>
/// Verifies bearer tokens as Distribution's token access controller does, with the identity model
/// library's <see cref="JsonWebTokenHandler"/> doing the JOSE: it reads the token, checks the
/// signature with the key <see cref="SigningKeyResolver"/> found and the algorithm against the
/// accepted list, then calls back here for the key's <c>x5c</c> chain and for the lifetime on the
/// injected clock, then checks <c>aud</c> against the service and <c>iss</c> against the issuer.
/// </summary>
internal sealed class TokenVerifier
{
    /// <summary>Clock skew allowed on <c>exp</c> and <c>nbf</c>: Distribution's 60 seconds (RFC 7519 §4.1.4).</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);

    /// <summary>
    /// RSA (RS*, PS*) and ECDSA (ES*). <c>none</c> and the HMAC family are never accepted: a
    /// verifier holding only public keys must not let the token choose a shared secret, which is
    /// the classic algorithm-confusion forgery.
    /// </summary>
    private static readonly string[] Asymmetric =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>Tokens the handler has validated: a push sends one token dozens of times.</summary>
    private const int MaxVerified = 4096;

    private readonly ConcurrentDictionary<string, TokenClaims> _verified = new(StringComparer.Ordinal);
    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = 64 * 1024 };
    private readonly string[] _algorithms;
    private readonly TokenValidationParameters _parameters;
    private readonly SigningKeyResolver _signingKeys;
    private readonly TimeProvider _time;

    public TokenVerifier(TokenAuthConfiguration options, TrustedTokenKeys keys, TimeProvider time)
    {
        Options = options;
        _time = time;
        _signingKeys = new SigningKeyResolver(keys, time);
        _algorithms = options.SigningAlgorithms.Count > 0 ? [.. Asymmetric.Intersect(options.SigningAlgorithms, StringComparer.Ordinal)] : Asymmetric;
        _parameters = new TokenValidationParameters
        {
            // In place of ValidAlgorithms, which it would override: the accepted list, and for an
            // EC key only its curve's algorithm. The library alone would verify, say, ES384 made
            // with a P-256 key; Distribution refuses it, as RFC 7518 §3.4 ties each to a curve.
            AlgorithmValidator = (algorithm, key, _, _) =>
                _algorithms.Contains(algorithm, StringComparer.Ordinal)
                && (key is not ECDsaSecurityKey ec || algorithm == TrustedTokenKeys.EcdsaAlgorithm(ec.ECDsa)),
            ValidIssuer = options.Issuer,
            ValidAudience = options.Service,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            ClockSkew = Leeway,
            // TokenValidationParameters.TimeProvider is internal in this version, so the handler's
            // own check would read the system clock; this one reads the injected TimeProvider.
            LifetimeValidator = (notBefore, expires, _, _) =>
                LifetimeProblem(notBefore, expires) is not { } problem ? true : throw new SecurityTokenInvalidLifetimeException(problem),
        };
    }

    public TokenAuthConfiguration Options { get; }

    /// <summary>The token's claims when it is valid; otherwise null and why (for the log, never the client).</summary>
    public async ValueTask<(TokenClaims? Claims, string Problem)> VerifyAsync(string raw)
    {
        if (_verified.TryGetValue(raw, out var remembered))
        {
            // The lifetime is checked on every use: a remembered token still expires.
            if (LifetimeProblem(remembered.NotBefore, remembered.Expires) is not { } late)
            {
                return (remembered, "");
            }

            _verified.TryRemove(raw, out _);
            return (null, late);
        }

        var (claims, problem) = await ValidateAsync(raw);
        if (claims is not null)
        {
            if (_verified.Count >= MaxVerified)
            {
                _verified.Clear();
            }

            _verified[raw] = claims;
        }

        return (claims, problem);
    }

    private async Task<(TokenClaims? Claims, string Problem)> ValidateAsync(string raw)
    {
        JsonWebToken token;
        try
        {
            token = _handler.ReadJsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            // The library's SecurityTokenMalformedException is one, and so is every refusal of an unreadable part.
            return (null, "malformed token");
        }

        if (token.IsEncrypted)
        {
            return (null, "encrypted token (JWE) is not accepted");
        }

        // The handler enforces the same list; asking first names the reason, which the handler
        // would report as a bad signature (or, for none, a missing one).
        if (!_algorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            return (null, $"signing algorithm '{token.Alg}' is not accepted");
        }

        if (_signingKeys.Find(token, out var why) is not { } key)
        {
            return (null, why);
        }

        var parameters = _parameters.Clone();
        parameters.IssuerSigningKey = key.Key;
        if (key.Chain is { } chain)
        {
            // The handler calls this only after the signature checked out with the leaf's key:
            // a forged token costs one signature check, never chain work.
            parameters.IssuerSigningKeyValidator = (_, _, _) =>
                _signingKeys.ReachesRoots(chain, out var problem) ? true : throw new SecurityTokenInvalidSigningKeyException(problem);
        }

        var result = await _handler.ValidateTokenAsync(token, parameters);
        return result.IsValid ? (TokenClaims.Read(token), "") : (null, Problem(result.Exception, token));
    }

    /// <summary>Why the handler refused a token, in the words the log has always used.</summary>
    private static string Problem(Exception? error, JsonWebToken token) => error switch
    {
        // Also SecurityTokenSignatureKeyNotFoundException: the one key tried did not verify.
        SecurityTokenInvalidSignatureException => "bad signature",
        // The handler sets the signing key once the signature verifies. When the token's kid is
        // not the key's KeyId, a failed signature makes it look for a lifetime, issuer or audience
        // fault first and report that: the signature is still what failed.
        _ when token.SigningKey is null => "bad signature",
        // Thrown by this class's own callbacks, with their reasons.
        SecurityTokenInvalidSigningKeyException or SecurityTokenInvalidLifetimeException => error.Message,
        SecurityTokenInvalidIssuerException => $"untrusted issuer '{token.Issuer}'",
        SecurityTokenInvalidAudienceException => $"token for another audience '{string.Join(",", token.Audiences)}'",
        _ => $"token refused ({error?.GetType().Name})",
    };

    /// <summary>
    /// Distribution's rule on the injected clock: <c>exp</c> is required, and both it and
    /// <c>nbf</c> hold within <see cref="TokenValidationParameters.ClockSkew"/>. The library has
    /// already clamped times beyond the calendar to its ends.
    /// </summary>
    private string? LifetimeProblem(DateTime? notBefore, DateTime? expires)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is not { } expiry || expiry < now - _parameters.ClockSkew ? "expired token"
            : notBefore > now + _parameters.ClockSkew ? "token not yet valid"
            : null;
    }
}
