using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using RegistryCloud.Core.Errors;

namespace RegistryCloud.Gateway.Security;

/// <summary>
/// Authentication at the door: with <c>auth.htpasswd</c>, every <c>/v2</c> request (the base
/// path included, which is how <c>docker login</c> checks credentials) must carry Basic
/// credentials of a user in the file, or gets 401 with <c>WWW-Authenticate: Basic realm="..."</c>
/// and an OCI <c>UNAUTHORIZED</c> body. The user's name goes to the services in
/// <see cref="UserHeader"/>; a client-sent copy of that header is always removed first.
/// </summary>
internal static class RegistryAuthentication
{
    public const string UserHeader = "X-RegistryCloud-User";

    public static IApplicationBuilder UseRegistryAuthentication(this IApplicationBuilder app)
    {
        var htpasswd = app.ApplicationServices.GetService<HtpasswdAuthenticator>();
        return app.Use(async (context, next) =>
        {
            context.Request.Headers.Remove(UserHeader);
            if (htpasswd is null || !context.Request.Path.StartsWithSegments("/v2", StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            if (TryReadBasic(context.Request.Headers.Authorization, out var user, out var password) && htpasswd.File.Verify(user, password))
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], "Basic"));
                context.Request.Headers[UserHeader] = user;
                // The password stops here: the services get the user's name, never the credentials.
                context.Request.Headers.Remove("Authorization");
                await next(context);
                return;
            }

            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{htpasswd.Realm}\"";
            await OciErrorResult.WriteAsync(context.Response, OciErrorCode.Unauthorized, "authentication required");
        });
    }

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
