using RegistryCloud.Gateway.Authorization;
using RegistryCloud.Gateway.Tokens;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.Gateway.Authentication;

/// <summary>
/// <c>auth.token</c> at the door. Without a bearer token: 401 and a challenge naming the realm,
/// the service and the scope the request needs. A token that fails verification: the same with
/// <c>error="invalid_token"</c>. A valid token whose <c>access</c> claim lacks an action: the same
/// with <c>error="insufficient_scope"</c> — 401 with <c>UNAUTHORIZED</c>, as Distribution answers,
/// because Docker, containerd and podman react to that challenge by asking the token service for
/// the wider scope (RFC 6750 would say 403, which those clients treat as final).
/// </summary>
internal sealed partial class BearerAuthenticator(TokenVerifier verifier, ILogger<BearerAuthenticator> logger)
{
    /// <summary>The path of the built-in token service, and the realm challenges name when it is the issuer.</summary>
    public const string TokenServicePath = "/auth/token";

    /// <summary>The token's subject when the request may go on; otherwise null, with the challenge already written.</summary>
    public async Task<(bool Allowed, string? User)> AuthenticateAsync(HttpContext context, IReadOnlyList<ResourceAccess> required)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !header.AsSpan(0, space).Equals("Bearer", StringComparison.OrdinalIgnoreCase) || header.Length == space + 1)
        {
            await ChallengeAsync(context, required, null, "authentication required");
            return (false, null);
        }

        var (claims, problem) = await verifier.VerifyAsync(header[(space + 1)..].Trim());
        if (claims is null)
        {
            LogRejected(logger, problem);
            await ChallengeAsync(context, required, "invalid_token", "invalid token");
            return (false, null);
        }

        foreach (var access in required)
        {
            foreach (var action in access.Actions)
            {
                if (!claims.Grants(access.Type, access.Name, action))
                {
                    await ChallengeAsync(context, required, "insufficient_scope", $"token lacks {access.Type}:{access.Name}:{action}");
                    return (false, null);
                }
            }
        }

        return (true, claims.Subject.Length > 0 ? claims.Subject : null);
    }

    private Task ChallengeAsync(HttpContext context, IReadOnlyList<ResourceAccess> required, string? error, string detail)
    {
        // The scope's names passed RepositoryNameCheck before authentication; quoting still
        // guards every parameter, so no value can end the header or add parameters of its own.
        var challenge = $"Bearer realm={QuotedString.Quote(Realm(context.Request))},service={QuotedString.Quote(verifier.Options.Service)}";
        if (required.Count > 0)
        {
            challenge += $",scope={QuotedString.Quote(string.Join(' ', required.Select(access => access.Scope)))}";
        }

        if (error is not null)
        {
            challenge += $",error={QuotedString.Quote(error)}";
        }

        context.Response.Headers.WWWAuthenticate = challenge;
        return OciErrorResult.WriteAsync(context.Response, OciErrorCode.Unauthorized, detail);
    }

    /// <summary>
    /// The configured realm; with <c>autoredirect</c>, Distribution's URL on the request's host
    /// (https unless X-Forwarded-Proto says otherwise); beside the built-in token service with no
    /// realm configured, the gateway's own <c>/auth/token</c> on the scheme and host the client used.
    /// </summary>
    private string Realm(HttpRequest request)
    {
        var options = verifier.Options;
        if (options.AutoRedirect)
        {
            // Only the two schemes a realm can have are taken from the header: anything else a
            // client sends there is not copied into the challenge.
            var scheme = string.Equals(request.Headers["X-Forwarded-Proto"].ToString(), "http", StringComparison.OrdinalIgnoreCase) ? "http" : "https";
            return $"{scheme}://{request.Host.Value}{options.AutoRedirectPath}";
        }

        return options.Realm.Length > 0 ? options.Realm : $"{request.Scheme}://{request.Host.Value}{TokenServicePath}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bearer token rejected: {Problem}")]
    private static partial void LogRejected(ILogger logger, string problem);
}
