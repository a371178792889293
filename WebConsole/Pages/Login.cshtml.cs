using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using RegistryCloud.WebConsole.Extensions;
using RegistryCloud.WebConsole.Registry;
using RegistryCloud.WebConsole.Security;

namespace RegistryCloud.WebConsole.Pages;

/// <summary>
/// Sign-in with the registry's own users: the name and password are checked by the gateway
/// itself (<c>GET /v2/</c> with them, following a token challenge when the registry uses
/// tokens), and only then kept in a server-side session. Attempts are limited per client address.
/// </summary>
[EnableRateLimiting(WebConsoleExtensions.LoginRateLimit)]
public sealed class LoginModel(IHttpClientFactory clients) : ConsolePageModel
{
    [BindProperty(SupportsGet = true, Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string UserName { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (UserName.Length is 0 or > 256 || Password.Length > 1024)
        {
            Problem = "Enter your registry user name and password.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var credentials = new RegistryCredentials(UserName, Password);
        HttpStatusCode status;
        try
        {
            status = await new RegistryClient(clients.CreateClient(WebConsoleExtensions.RegistryClientName), credentials).CheckAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            Problem = "The registry could not be reached; try again.";
            Response.StatusCode = StatusCodes.Status502BadGateway;
            return Page();
        }

        if (status != HttpStatusCode.OK)
        {
            Problem = status == HttpStatusCode.TooManyRequests ? "Too many attempts; wait a minute and try again." : "The user name or password is wrong.";
            Response.StatusCode = status == HttpStatusCode.TooManyRequests ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, SessionClaims.Create(credentials));
        // Only a page of this console: an open redirect would let a link send a signed-in user anywhere.
        return ReturnUrl is { Length: > 1 } target && target.StartsWith(Request.PathBase + "/", StringComparison.Ordinal) && !target.StartsWith("//", StringComparison.Ordinal) && !target.Contains('\\', StringComparison.Ordinal)
            ? LocalRedirect(target)
            : RedirectToPage("/Index");
    }
}
