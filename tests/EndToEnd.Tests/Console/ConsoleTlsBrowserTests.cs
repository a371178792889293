using System.Net;
using RegistryCloud.EndToEnd.Tests.Security;

namespace RegistryCloud.EndToEnd.Tests.Console;

/// <summary>
/// The web console over the gateway's TLS listener (<c>http.tls</c>), in the token-service
/// registry the security tests already run (no AppHost of its own): a user signs in (the console
/// follows the gateway's Bearer challenge to its token service), the session cookie comes back
/// <c>Secure</c> and <c>HttpOnly</c>, and pages render. A screenshot is saved under the test output.
/// </summary>
[Collection(TokenRegistryCollection.Name)]
public sealed class ConsoleTlsBrowserTests(TokenRegistryFixture registry)
{
    [Fact]
    public async Task Alice_signs_in_over_https_and_gets_a_Secure_HttpOnly_session_cookie()
    {
        // The fixture waits for the registry's services; the console may start a little later.
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    using var response = await registry.Http.GetAsync("console/login", TestContext.Current.CancellationToken);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            "the console never answered through the gateway's TLS listener",
            TimeSpan.FromSeconds(60));

        using var browser = new ConsoleBrowser(new Uri($"https://{registry.Address}/console/"), trustAnyCertificate: true);
        await browser.SignInAsync(SecureRegistryFixture.Alice, SecureRegistryFixture.AlicePassword);

        Assert.Equal("https", browser.Url.Scheme);
        Assert.True(browser.FindAll(".account").Count == 1, $"{browser.Url}: {browser.Source}");
        Assert.Contains("Signed in as alice", browser.Find(".account").Text, StringComparison.Ordinal);
        var session = browser.Driver.Manage().Cookies.GetCookieNamed("registrycloud-console");
        Assert.NotNull(session);
        Assert.True(session.Secure, "the session cookie is not Secure");
        Assert.True(session.IsHttpOnly, "the session cookie is readable by scripts");
        Assert.Equal("/console", session.Path);
        Assert.Equal("Strict", session.SameSite);

        browser.Open("status");
        Assert.Equal("Status", browser.Find("h1").Text);
        Assert.Contains("answering", browser.Find(".facts").Text, StringComparison.Ordinal);
        browser.Open();
        Assert.Equal("Repositories", browser.Find("h1").Text);
        Assert.Empty(browser.FindAll(".problem"));
        browser.Screenshot("console-tls");
    }
}
