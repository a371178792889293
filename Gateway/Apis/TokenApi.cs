using System.Text.Json;
using Microsoft.Extensions.Primitives;
using RegistryCloud.Gateway.Authentication;
using RegistryCloud.Gateway.Authorization;
using RegistryCloud.Gateway.Extensions;
using RegistryCloud.Gateway.Tokens;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.Gateway.Apis;

/// <summary>
/// <c>GET /auth/token?service=...&amp;scope=...</c>: the built-in token service of the Docker token
/// spec. Basic credentials are checked against <c>tokenservice.htpasswd</c>; without any the
/// caller is anonymous. Each requested scope is granted only the actions the ACL allows (possibly
/// none, which the spec answers with a token that grants less, not an error), and the answer is
/// <c>{"token", "access_token", "expires_in", "issued_at"}</c> as Docker clients read it. POST
/// serves the OAuth2 password grant with the same answer.
/// </summary>
internal static class TokenApi
{
    private static readonly OciErrorCode InvalidRequest = new("UNSUPPORTED", 400, "invalid token request");

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<TokenIssuer>() is not null)
        {
            // Read the users file now, so a missing one stops start-up rather than the first login.
            _ = app.ServiceProvider.GetRequiredService<TokenServiceUsers>();
            app.MapGet(BearerAuthenticator.TokenServicePath, GetAsync);
            app.MapPost(BearerAuthenticator.TokenServicePath, PostAsync);
        }

        return app;
    }

    /// <summary>The token spec's GET: Basic credentials (or none), parameters in the query.</summary>
    private static async Task GetAsync(HttpContext context, TokenIssuer issuer, TokenServiceUsers users, AccessControlList acl, TokenVerifier verifier)
    {
        var request = context.Request;
        string? name = null, password = null;
        if (request.Headers.Authorization.Count > 0)
        {
            if (!RegistryAuthentication.TryReadBasic(request.Headers.Authorization, out var basicName, out var basicPassword))
            {
                await RefuseCredentialsAsync(context, verifier);
                return;
            }

            (name, password) = (basicName, basicPassword);
        }

        await IssueAsync(context, new TokenRequest(request.Query["service"], name, password, request.Query["account"], request.Query["scope"]), issuer, users, acl, verifier);
    }

    /// <summary>
    /// The OAuth2 password grant containerd tries first when it holds credentials
    /// (<c>grant_type=password&amp;username=...&amp;password=...&amp;scope=...</c>, form-encoded).
    /// Refresh tokens are not issued, so no other grant is served.
    /// </summary>
    private static async Task PostAsync(HttpContext context, TokenIssuer issuer, TokenServiceUsers users, AccessControlList acl, TokenVerifier verifier)
    {
        if (!context.Request.HasFormContentType)
        {
            await OciErrorResult.WriteAsync(context.Response, InvalidRequest, "a form-encoded OAuth2 password grant is expected");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != "password" || form["username"].ToString().Length == 0)
        {
            await OciErrorResult.WriteAsync(context.Response, InvalidRequest, "only grant_type=password with a username is supported");
            return;
        }

        await IssueAsync(context, new TokenRequest(form["service"], form["username"], form["password"], "", form["scope"]), issuer, users, acl, verifier);
    }

    private static async Task IssueAsync(HttpContext context, TokenRequest request, TokenIssuer issuer, TokenServiceUsers users, AccessControlList acl, TokenVerifier verifier)
    {
        context.Response.Headers.CacheControl = "no-store";
        var service = request.Service.ToString();
        if (service.Length > 0 && service != verifier.Options.Service)
        {
            await OciErrorResult.WriteAsync(context.Response, InvalidRequest, $"this token service issues tokens for '{verifier.Options.Service}', not '{service}'");
            return;
        }

        string? user = null;
        if (request.Name is { } name)
        {
            if (!await users.File.VerifyAsync(name, request.Password ?? ""))
            {
                await RefuseCredentialsAsync(context, verifier);
                return;
            }

            user = name;
        }

        if (request.Account.ToString() is { Length: > 0 } account && account != user)
        {
            await OciErrorResult.WriteAsync(context.Response, InvalidRequest, "account does not match the credentials given");
            return;
        }

        var granted = new List<ResourceAccess>();
        foreach (var scope in request.Scopes.SelectMany(value => (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (ResourceAccess.ParseScope(scope) is not { } requested)
            {
                await OciErrorResult.WriteAsync(context.Response, InvalidRequest, $"'{scope}' is not a scope (type:name:actions)");
                return;
            }

            if (Grant(requested, user, acl) is { } grant)
            {
                granted.Add(grant);
            }
        }

        var (token, issuedAt) = issuer.Issue(user ?? "", granted);
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("token", token);
        writer.WriteString("access_token", token);
        writer.WriteNumber("expires_in", (int)issuer.Expiration.TotalSeconds);
        writer.WriteString("issued_at", issuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteEndObject();
    }

    private static Task RefuseCredentialsAsync(HttpContext context, TokenVerifier verifier)
    {
        context.Response.Headers.WWWAuthenticate = QuotedString.BasicChallenge(verifier.Options.Service);
        return OciErrorResult.WriteAsync(context.Response, OciErrorCode.Unauthorized, "invalid username or password");
    }

    /// <summary>What of <paramref name="requested"/> the ACL grants; null for nothing.</summary>
    private static ResourceAccess? Grant(ResourceAccess requested, string? user, AccessControlList acl)
    {
        if (requested.Type == ResourceAccess.Catalog.Type && requested.Name == ResourceAccess.Catalog.Name)
        {
            // The catalog itself is listed per caller: the gateway filters it by the same ACL.
            return requested.Allows("*") && acl.MayListCatalog(user) ? ResourceAccess.Catalog : null;
        }

        if (requested.Type != ResourceAccess.Repository || !RepositoryName.IsValid(requested.Name))
        {
            return null;
        }

        var allowed = acl.ActionsFor(user, requested.Name);
        var actions = requested.Actions.Contains("*") ? allowed : [.. requested.Actions.Where(allowed.Contains)];
        return actions.Count > 0 ? new ResourceAccess(requested.Type, requested.Name, actions) : null;
    }
}

/// <summary>One token request, from a GET's query and Basic header or a POST's form.</summary>
internal sealed record TokenRequest(StringValues Service, string? Name, string? Password, StringValues Account, StringValues Scopes);
