using System.Security.Claims;
using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Security;

/// <summary>
/// What a session holds: the user's name and the password the console presents to the gateway
/// on the user's behalf. The ticket lives server-side (<see cref="SessionTicketStore"/>); the
/// browser's cookie carries only its id, and no page ever renders the password.
/// </summary>
internal static class SessionClaims
{
    private const string PasswordClaim = "registrycloud:password";

    public static ClaimsPrincipal Create(RegistryCredentials credentials) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, credentials.User), new Claim(PasswordClaim, credentials.Password)],
            Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme));

    public static RegistryCredentials? Credentials(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { } name } && user.FindFirst(PasswordClaim) is { } password
            ? new RegistryCredentials(name, password.Value)
            : null;
}
