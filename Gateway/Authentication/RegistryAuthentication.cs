using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using RegistryCloud.Gateway.Authorization;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.Gateway.Authentication;

/// <summary>
/// Authentication at the door: with <c>auth.htpasswd</c>, every <c>/v2</c> request (the base
/// path included, which is how <c>docker login</c> checks credentials) must carry Basic
/// credentials of a user in the file, or gets 401 with <c>WWW-Authenticate: Basic realm="..."</c>
/// and an OCI <c>UNAUTHORIZED</c> body; <c>accesscontrol</c> then decides per repository. With
/// <c>auth.token</c>, bearer tokens instead (<see cref="BearerAuthenticator"/>). The user's name
/// goes to the services in <see cref="UserHeader"/>; a client-sent copy is always removed first.
/// </summary>
internal static class RegistryAuthentication
{
    public const string UserHeader = "X-RegistryCloud-User";

    public static IApplicationBuilder UseRegistryAuthentication(this IApplicationBuilder app)
    {
        var htpasswd = app.ApplicationServices.GetService<HtpasswdAuthenticator>();
        var bearer = app.ApplicationServices.GetService<BearerAuthenticator>();
        var acl = app.ApplicationServices.GetRequiredService<AccessControlList>();
        return app.Use(async (context, next) =>
        {
            context.Request.Headers.Remove(UserHeader);
            if ((htpasswd is null && bearer is null) || !context.Request.Path.StartsWithSegments("/v2", StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            var required = ResourceAccess.RequiredBy(context.Request);
            var (allowed, user) = bearer is not null
                ? await bearer.AuthenticateAsync(context, required)
                : await AuthenticateBasicAsync(context, htpasswd!, acl, required);
            if (!allowed)
            {
                return;
            }

            if (user is not null)
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], bearer is null ? "Basic" : "Bearer"));
                context.Request.Headers[UserHeader] = user;
            }

            // Credentials stop here: the services get the user's name, never a password or token.
            context.Request.Headers.Remove("Authorization");
            await next(context);
        });
    }

    /// <summary>
    /// <c>auth.htpasswd</c>: Basic credentials of a user in the file, then the ACL. <c>/v2/</c> always
    /// needs credentials (it is how <c>docker login</c> checks them and how clients learn the
    /// scheme); a repository request without any may pass when an anonymous rule allows it.
    /// A known user the ACL refuses gets 403 <c>DENIED</c>.
    /// </summary>
    private static async Task<(bool Allowed, string? User)> AuthenticateBasicAsync(
        HttpContext context, HtpasswdAuthenticator htpasswd, AccessControlList acl, IReadOnlyList<ResourceAccess> required)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (IsEmptyBasic(authorization))
        {
            // containers/image (skopeo, podman) answers a Basic challenge it has no credentials
            // for with "Basic Og==" (empty user and password): an anonymous caller, not a wrong password.
            authorization = string.Empty;
        }

        string? user = null;
        if (authorization.Length > 0 || required.Count == 0 || !acl.IsConfigured)
        {
            if (!TryReadBasic(authorization, out var name, out var password) || !await htpasswd.File.VerifyAsync(name, password))
            {
                context.Response.Headers.WWWAuthenticate = QuotedString.BasicChallenge(htpasswd.Realm);
                await OciErrorResult.WriteAsync(context.Response, OciErrorCode.Unauthorized, "authentication required");
                return (false, null);
            }

            user = name;
        }

        foreach (var access in required)
        {
            if (access.Type == ResourceAccess.Catalog.Type ? !acl.MayListCatalog(user) : access.Actions.Any(action => !acl.Allows(user, access.Name, action)))
            {
                if (user is null)
                {
                    context.Response.Headers.WWWAuthenticate = QuotedString.BasicChallenge(htpasswd.Realm);
                    await OciErrorResult.WriteAsync(context.Response, OciErrorCode.Unauthorized, "authentication required");
                }
                else
                {
                    await OciErrorResult.WriteAsync(context.Response, OciErrorCode.Denied, $"{user} may not {string.Join(",", access.Actions)} {access.Name}");
                }

                return (false, null);
            }
        }

        return (true, user);
    }

    /// <summary><c>Authorization: Basic</c> of an empty user and password (<c>Og==</c>, base64 of ":").</summary>
    private static bool IsEmptyBasic(string header) =>
        AuthenticationHeaderValue.TryParse(header, out var value)
        && string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
        && string.Equals(value.Parameter, "Og==", StringComparison.Ordinal);

    /// <summary>Reads <c>Authorization: Basic base64(user:password)</c>.</summary>
    public static bool TryReadBasic(string? header, out string user, out string password)
    {
        user = password = "";
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrEmpty(value.Parameter)
            || value.Parameter.Length > 4096)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        user = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }
}

/// <summary>The htpasswd access controller: its realm and its file of users.</summary>
internal sealed record HtpasswdAuthenticator(string Realm, HtpasswdFile File);
