using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Gateway.Tokens;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Tokens;

/// <summary>
/// The built-in token service end to end in process: a client logs in at <c>/auth/token</c> with
/// Basic credentials, gets only what the ACL allows, and uses the token on <c>/v2/</c>.
/// </summary>
public sealed class TokenServiceTests(TokenServiceGateway gateway) : IClassFixture<TokenServiceGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task The_challenge_names_the_gateway_s_own_token_endpoint()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer realm=\"http://localhost/auth/token\",service=\"{TestTokens.Service}\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Docker_login_s_flow_of_challenge_then_scopeless_token_then_base_path_succeeds()
    {
        using var challenge = await _client.SendAsync(HttpMethod.Get, "/v2/");
        var (status, body) = await GetTokenAsync("", "alice", TestAccessControl.AlicePassword);

        using var retry = await SendAsync(HttpMethod.Get, "/v2/", body["token"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task A_token_answer_has_the_fields_docker_reads_and_a_signed_grant()
    {
        var (status, body) = await GetTokenAsync("repository:team/app:pull,push", "alice", TestAccessControl.AlicePassword);

        Assert.Equal(HttpStatusCode.OK, status);
        var token = body["token"]!.GetValue<string>();
        Assert.Equal(token, body["access_token"]!.GetValue<string>());
        Assert.Equal(120, body["expires_in"]!.GetValue<int>());
        Assert.True(DateTimeOffset.TryParse(body["issued_at"]!.GetValue<string>(), out var issuedAt));
        Assert.InRange(issuedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var parts = token.Split('.');
        var header = TestTokens.Decode(parts[0]);
        Assert.Equal("ES256", header["alg"]!.GetValue<string>());
        Assert.Equal(TokenKeyIds.Libtrust(gateway.Key), header["kid"]!.GetValue<string>());
        var claims = TestTokens.Decode(parts[1]);
        Assert.Equal("alice", claims["sub"]!.GetValue<string>());
        Assert.Equal(TokenServiceGateway.Issuer, claims["iss"]!.GetValue<string>());
        Assert.Equal(TestTokens.Service, claims["aud"]!.GetValue<string>());
        Assert.Equal("""[{"type":"repository","name":"team/app","actions":["pull","push"]}]""", claims["access"]!.ToJsonString());
    }

    [Fact]
    public async Task A_token_from_the_service_opens_the_repository_it_grants()
    {
        var (_, body) = await GetTokenAsync("repository:team/app:pull,push", "alice", TestAccessControl.AlicePassword);
        var token = body["token"]!.GetValue<string>();

        using var pull = await SendAsync(HttpMethod.Get, "/v2/team/app/manifests/latest", token);
        using var push = await SendAsync(HttpMethod.Put, "/v2/team/app/manifests/v2", token);
        using var other = await SendAsync(HttpMethod.Get, "/v2/team/other/manifests/latest", token);

        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        Assert.Equal("alice", (await ReceivedRequest.ReadAsync(pull)).User);
        Assert.Equal(HttpStatusCode.OK, push.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task A_push_the_acl_denies_is_not_granted_and_the_push_never_reaches_a_backend()
    {
        var (status, body) = await GetTokenAsync("repository:team/app:pull,push", "bob", TestAccessControl.BobPassword);
        var token = body["token"]!.GetValue<string>();

        using var push = await SendAsync(HttpMethod.Put, "/v2/team/app/manifests/bobs", token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""[{"type":"repository","name":"team/app","actions":["pull"]}]""", TestTokens.Decode(token.Split('.')[1])["access"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
        Assert.EndsWith("error=\"insufficient_scope\"", push.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.False(gateway.AnyBackendSaw("/v2/team/app/manifests/bobs"));
    }

    [Fact]
    public async Task A_more_specific_empty_rule_grants_nothing()
    {
        var (_, body) = await GetTokenAsync("repository:team/secret:pull", "bob", TestAccessControl.BobPassword);

        Assert.Equal("[]", TestTokens.Decode(body["token"]!.GetValue<string>().Split('.')[1])["access"]!.ToJsonString());
    }

    [Fact]
    public async Task Anonymous_callers_get_pull_where_an_anonymous_rule_allows_it_and_nothing_elsewhere()
    {
        var (status, body) = await GetTokenAsync("repository:public/a:pull,push repository:zoo/x:pull", null, null);
        var token = body["token"]!.GetValue<string>();

        using var pull = await SendAsync(HttpMethod.Get, "/v2/public/a/tags/list", token);
        using var denied = await SendAsync(HttpMethod.Get, "/v2/zoo/x/tags/list", token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("", TestTokens.Decode(token.Split('.')[1])["sub"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.False(gateway.AnyBackendSaw("/v2/zoo/x/tags/list"));
    }

    [Theory]
    [InlineData("alice", "wrong password")]
    [InlineData("mallory", TestAccessControl.AlicePassword)]
    public async Task Wrong_credentials_get_401_and_no_token(string user, string password)
    {
        using var response = await _client.GetAsync("/auth/token?service=registry.test&scope=repository:team/app:pull",
            request => request.Headers.Authorization = Htpasswd.Basic(user, password));

        await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("service=other.registry&scope=repository:a/b:pull")]
    [InlineData("service=registry.test&scope=nonsense")]
    [InlineData("service=registry.test&account=bob&scope=repository:a/b:pull")]
    public async Task A_malformed_request_answers_400(string query)
    {
        using var response = await _client.GetAsync($"/auth/token?{query}",
            request => request.Headers.Authorization = Htpasswd.Basic("alice", TestAccessControl.AlicePassword));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Repeated_scope_parameters_are_all_granted()
    {
        using var response = await _client.GetAsync("/auth/token?service=registry.test&scope=repository:team/a:pull&scope=repository:team/b:push&account=alice",
            request => request.Headers.Authorization = Htpasswd.Basic("alice", TestAccessControl.AlicePassword));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal("""[{"type":"repository","name":"team/a","actions":["pull"]},{"type":"repository","name":"team/b","actions":["push"]}]""",
            TestTokens.Decode(body["token"]!.GetValue<string>().Split('.')[1])["access"]!.ToJsonString());
    }

    [Fact]
    public async Task The_oauth2_password_grant_containerd_posts_is_answered_with_the_same_grant()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "bob",
            ["password"] = TestAccessControl.BobPassword,
            ["service"] = TestTokens.Service,
            ["scope"] = "repository:team/app:pull,push",
            ["client_id"] = "containerd-client",
        });

        using var response = await _client.PostAsync("/auth/token", form, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""[{"type":"repository","name":"team/app","actions":["pull"]}]""",
            TestTokens.Decode(body["access_token"]!.GetValue<string>().Split('.')[1])["access"]!.ToJsonString());
    }

    [Theory]
    [InlineData("password", "bob", "wrong", HttpStatusCode.Unauthorized)]
    [InlineData("refresh_token", "bob", TestAccessControl.BobPassword, HttpStatusCode.BadRequest)]
    public async Task An_oauth2_grant_with_wrong_credentials_or_another_grant_type_gets_no_token(string grant, string user, string password, HttpStatusCode expected)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grant,
            ["username"] = user,
            ["password"] = password,
            ["service"] = TestTokens.Service,
        });

        using var response = await _client.PostAsync("/auth/token", form, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice", TestAccessControl.AlicePassword, """["public/a","team/app","team/secret","zoo/x"]""")]
    [InlineData("bob", TestAccessControl.BobPassword, """["public/a","team/app","zoo/x"]""")]
    [InlineData(null, null, """["public/a"]""")]
    public async Task The_catalog_lists_only_what_the_caller_may_pull(string? user, string? password, string expected)
    {
        var (_, body) = await GetTokenAsync("registry:catalog:*", user, password);

        using var response = await SendAsync(HttpMethod.Get, "/v2/_catalog", body["token"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listing = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal(expected, listing["repositories"]!.ToJsonString());
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> GetTokenAsync(string scope, string? user, string? password)
    {
        using var response = await _client.GetAsync($"/auth/token?service={TestTokens.Service}&scope={Uri.EscapeDataString(scope)}", request =>
        {
            if (user is not null)
            {
                request.Headers.Authorization = Htpasswd.Basic(user, password!);
            }
        });
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonNode.Parse(text) ?? throw new JsonException("empty answer"));
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token) =>
        _client.SendAsync(method, path, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token));
}
