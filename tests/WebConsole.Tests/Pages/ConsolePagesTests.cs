using System.Net;
using System.Text.RegularExpressions;

namespace RegistryCloud.WebConsole.Tests.Pages;

/// <summary>The console's pages in process against an in-memory registry: sessions, CSRF, escaping, headers and refusals.</summary>
public sealed partial class ConsolePagesTests : IClassFixture<ConsoleFactory>, IDisposable
{
    private readonly ConsoleFactory _factory;
    private readonly HttpClient _browser;

    public ConsolePagesTests(ConsoleFactory factory)
    {
        _factory = factory;
        _browser = factory.Browser();
    }

    public void Dispose() => _browser.Dispose();

    [Fact]
    public async Task Signing_in_keeps_only_a_session_id_in_an_HttpOnly_SameSite_Strict_cookie()
    {
        using var response = await SignInAsync("alice", FakeRegistry.AlicePassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), value => value.StartsWith("registrycloud-console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", cookie, StringComparison.OrdinalIgnoreCase);
        // The ticket lives on the server: the cookie is far too small to carry it, let alone a password.
        var value = cookie.Split(';')[0]["registrycloud-console=".Length..];
        Assert.True(value.Length < 400, $"cookie of {value.Length} characters");

        var page = await GetPageAsync("");
        Assert.Contains("Signed in as <strong>alice</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeRegistry.AlicePassword, page, StringComparison.Ordinal);
        Assert.Contains(_factory.Registry.Received, request => request.Path == "/v2/_catalog?n=1000" && request.Authorization == FakeRegistry.Basic("alice", FakeRegistry.AlicePassword));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_a_session()
    {
        using var response = await SignInAsync("alice", "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("The user name or password is wrong.", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(cookie => cookie.StartsWith("registrycloud-console=", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("login")]
    [InlineData("logout")]
    [InlineData("delete?name=team/app&reference=v1")]
    public async Task A_post_without_the_antiforgery_token_is_refused(string path)
    {
        var deletes = Deletes();
        using var response = await _browser.PostAsync(path, new FormUrlEncodedContent([new("UserName", "alice"), new("Password", FakeRegistry.AlicePassword)]), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(deletes, Deletes());
    }

    [Fact]
    public async Task Anonymous_browsing_the_registry_refuses_goes_to_the_sign_in_page()
    {
        using var response = await _browser.GetAsync("repository?name=team/app", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/console/login?returnUrl=", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_labels_annotations_env_and_history_are_escaped()
    {
        (await SignInAsync("alice", FakeRegistry.AlicePassword)).Dispose();

        var page = await GetPageAsync("manifest?name=team/app&reference=v1");

        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;", page, StringComparison.Ordinal);
        // Four places: the label, the env entry, the history step, the annotation's key and value.
        Assert.True(EscapedHostile().Matches(page).Count >= 5, page);
    }

    [Fact]
    public async Task Every_page_forbids_inline_script_and_framing()
    {
        using var response = await _browser.GetAsync("login", TestContext.Current.CancellationToken);

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", page.Replace("http://localhost", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_repository_page_shows_tags_with_digest_size_platform_and_pull_command()
    {
        (await SignInAsync("bob", FakeRegistry.BobPassword)).Dispose();

        var page = await GetPageAsync("repository?name=team/app");

        Assert.Contains("sha256:11111111111", page, StringComparison.Ordinal);
        Assert.Contains("2.1 KiB", page, StringComparison.Ordinal);
        Assert.Contains("linux/amd64", page, StringComparison.Ordinal);
        Assert.Contains("docker pull registry.example:5000/team/app:v1", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_repository_page_shows_when_each_tag_was_pushed()
    {
        (await SignInAsync("bob", FakeRegistry.BobPassword)).Dispose();

        var page = await GetPageAsync("repository?name=team/app");

        Assert.Contains("<td class=\"pushed\">2026-11-30 08:15 UTC</td>", page, StringComparison.Ordinal);
        Assert.Contains(_factory.Registry.Received, request => request.Path == "/v2/team/app/tags/list?pushed=true&n=1");
    }

    [Fact]
    public async Task A_user_who_may_delete_sees_the_delete_controls()
    {
        (await SignInAsync("alice", FakeRegistry.AlicePassword)).Dispose();

        Assert.Contains("aria-label=\"Delete tag v1\"", await GetPageAsync("repository?name=team/app"), StringComparison.Ordinal);
        Assert.Contains("Delete manifest (every tag on it)", await GetPageAsync("manifest?name=team/app&reference=v1"), StringComparison.Ordinal);
        Assert.Contains("id=\"confirm-delete\"", await GetPageAsync("delete?name=team/app&reference=v1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_who_may_not_delete_sees_no_delete_control_anywhere()
    {
        (await SignInAsync("bob", FakeRegistry.BobPassword)).Dispose();

        Assert.DoesNotContain("Delete tag", await GetPageAsync("repository?name=team/app"), StringComparison.Ordinal);
        Assert.DoesNotContain("Delete manifest", await GetPageAsync("manifest?name=team/app&reference=v1"), StringComparison.Ordinal);
        using var confirmation = await _browser.GetAsync("delete?name=team/app&reference=v1", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, confirmation.StatusCode);
        var page = await confirmation.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("You may not delete in team/app.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("confirm-delete", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delete_the_rules_forbid_shows_the_gateways_refusal()
    {
        using var response = await ConfirmDeleteAsync("bob", FakeRegistry.BobPassword);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("You may not delete team/app:v1 (DENIED: requested access to the resource is denied).", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delete_the_rules_allow_goes_back_to_the_repository()
    {
        using var response = await ConfirmDeleteAsync("alice", FakeRegistry.AlicePassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console/repository?name=team%2Fapp&deleted=v1", response.Headers.Location?.OriginalString);
        Assert.Contains(_factory.Registry.Received, request => request.Method == "DELETE" && request.Path == "/v2/team/app/manifests/v1");
    }

    [Fact]
    public async Task The_status_page_shows_storage_used_and_garbage_collection_to_signed_in_users()
    {
        (await SignInAsync("bob", FakeRegistry.BobPassword)).Dispose();

        var page = await GetPageAsync("status");

        Assert.Contains("2.0 KiB in 2 blobs (measured 3 min ago by garbage collection)", page, StringComparison.Ordinal);
        Assert.Contains("on, every 1 h", page, StringComparison.Ordinal);
        Assert.Contains("last run: ok,", page, StringComparison.Ordinal);
        Assert.Contains("1 blob and 1.0 KiB reclaimed", page, StringComparison.Ordinal);
        Assert.Contains("next run: by ", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_page_keeps_storage_and_garbage_collection_from_anonymous_visitors()
    {
        var page = await GetPageAsync("status");

        Assert.DoesNotContain("(measured", page, StringComparison.Ordinal);
        Assert.DoesNotContain("last run", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/console/\\evil.example")]
    public async Task Sign_in_never_redirects_off_the_console(string returnUrl)
    {
        using var response = await SignInAsync("alice", FakeRegistry.AlicePassword, returnUrl);

        Assert.Equal("/console", response.Headers.Location?.OriginalString);
    }

    /// <summary>
    /// Signs in and posts the delete form of <c>team/app:v1</c> with a valid antiforgery token (the
    /// sign-out form's: the confirmation page offers no form to a user who may not delete).
    /// </summary>
    private async Task<HttpResponseMessage> ConfirmDeleteAsync(string user, string password)
    {
        (await SignInAsync(user, password)).Dispose();
        var token = Token(await GetPageAsync(""));
        return await _browser.PostAsync("delete?name=team/app&reference=v1",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("name", "team/app"), new("reference", "v1")]), TestContext.Current.CancellationToken);
    }

    private int Deletes()
    {
        lock (_factory.Registry.Received)
        {
            return _factory.Registry.Received.Count(request => request.Method == "DELETE");
        }
    }

    internal static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password, string? returnUrl = null)
    {
        var token = Token(await GetPageAsync(client, "login"));
        return await client.PostAsync("login", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", token),
            new("UserName", user),
            new("Password", password),
            new("returnUrl", returnUrl ?? ""),
        ]), TestContext.Current.CancellationToken);
    }

    private static async Task<string> GetPageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {page}");
        return page;
    }

    private Task<HttpResponseMessage> SignInAsync(string user, string password, string? returnUrl = null) => SignInAsync(_browser, user, password, returnUrl);

    private Task<string> GetPageAsync(string path) => GetPageAsync(_browser, path);

    private static string Token(string page) => AntiforgeryToken().Match(page) is { Success: true } match
        ? match.Groups[1].Value
        : throw new InvalidOperationException("The page has no antiforgery token.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("&lt;script&gt;alert")]
    private static partial Regex EscapedHostile();
}
