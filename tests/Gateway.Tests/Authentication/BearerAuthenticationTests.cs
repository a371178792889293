using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Gateway.Tokens;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Authentication;

/// <summary>
/// <c>auth.token</c> at the door: challenges exactly as Docker clients parse them, tokens accepted
/// by each kind of key, and refusals that never reach a backend.
/// </summary>
public sealed class BearerAuthenticationTests(TokenGateway gateway) : IClassFixture<TokenGateway>
{
    private const string Prefix = $"Bearer realm=\"{TokenGateway.Realm}\",service=\"{TestTokens.Service}\"";
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task The_base_path_without_a_token_answers_401_with_a_bearer_challenge_and_no_scope()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/");

        await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal(Prefix, response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("GET", "/v2/{0}/manifests/latest", "repository:{0}:pull")]
    [InlineData("HEAD", "/v2/{0}/blobs/sha256:" + "ab" + "0000000000000000000000000000000000000000000000000000000000000000", "repository:{0}:pull")]
    [InlineData("POST", "/v2/{0}/blobs/uploads/", "repository:{0}:pull,push")]
    [InlineData("PUT", "/v2/{0}/manifests/latest", "repository:{0}:pull,push")]
    [InlineData("PATCH", "/v2/{0}/blobs/uploads/some-upload", "repository:{0}:pull,push")]
    [InlineData("DELETE", "/v2/{0}/manifests/sha256:0000000000000000000000000000000000000000000000000000000000000000", "repository:{0}:delete")]
    [InlineData("GET", "/v2/{0}/tags/list", "repository:{0}:pull")]
    public async Task A_request_without_a_token_is_challenged_for_the_scope_it_needs(string method, string pathFormat, string scopeFormat)
    {
        var repository = TestContent.NewRepository();
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, pathFormat, repository);

        using var response = await _client.SendAsync(new HttpMethod(method), path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"{Prefix},scope=\"{string.Format(System.Globalization.CultureInfo.InvariantCulture, scopeFormat, repository)}\"", response.Headers.WwwAuthenticate.ToString());
        Assert.False(gateway.AnyBackendSaw(path));
    }

    [Fact]
    public async Task The_catalog_is_challenged_for_the_registry_catalog_scope()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/_catalog");

        Assert.Equal($"{Prefix},scope=\"registry:catalog:*\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_cross_repository_mount_is_challenged_for_both_repositories()
    {
        var repository = TestContent.NewRepository();
        var path = $"/v2/{repository}/blobs/uploads/?mount=sha256:{new string('0', 64)}&from=library/source";

        using var response = await _client.SendAsync(HttpMethod.Post, path);

        Assert.Equal($"{Prefix},scope=\"repository:{repository}:pull,push repository:library/source:pull\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_token_granting_push_but_not_pull_of_the_mount_source_is_insufficient()
    {
        var repository = TestContent.NewRepository();
        var path = $"/v2/{repository}/blobs/uploads/?mount=sha256:{new string('0', 64)}&from=library/source";
        var token = gateway.Token("alice", (repository, ["pull", "push"]));

        using var response = await SendAsync(HttpMethod.Post, path, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.EndsWith("error=\"insufficient_scope\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.False(gateway.AnyBackendSaw($"/v2/{repository}/blobs/uploads/"));
    }

    [Fact]
    public async Task A_valid_token_reaches_the_backend_as_its_subject_without_the_token()
    {
        var repository = TestContent.NewRepository();
        var token = gateway.Token("alice", (repository, ["pull"]));

        using var response = await SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/latest", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await ReceivedRequest.ReadAsync(response);
        Assert.Equal("alice", echo.User);
        Assert.Equal("manifests", echo.Backend);
    }

    [Fact]
    public async Task Any_valid_token_opens_the_base_path()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v2/", gateway.Token("alice"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_without_the_action_answers_401_insufficient_scope_as_distribution_does()
    {
        var repository = TestContent.NewRepository();
        var path = $"/v2/{repository}/manifests/latest";

        using var response = await SendAsync(HttpMethod.Put, path, gateway.Token("alice", (repository, ["pull"])));

        await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal($"{Prefix},scope=\"repository:{repository}:pull,push\",error=\"insufficient_scope\"", response.Headers.WwwAuthenticate.ToString());
        Assert.False(gateway.AnyBackendSaw(path));
    }

    [Fact]
    public async Task A_token_for_another_repository_is_insufficient()
    {
        var repository = TestContent.NewRepository();
        var path = $"/v2/{repository}/manifests/latest";

        using var response = await SendAsync(HttpMethod.Get, path, gateway.Token("alice", ("someone/else", ["pull", "push"])));

        Assert.EndsWith("error=\"insufficient_scope\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.False(gateway.AnyBackendSaw(path));
    }

    [Fact]
    public async Task A_token_signed_by_an_unknown_key_answers_401_invalid_token()
    {
        var repository = TestContent.NewRepository();
        var path = $"/v2/{repository}/manifests/latest";
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = TestTokens.Sign(TestTokens.Header("ES256", TokenKeyIds.Libtrust(stranger)), TestTokens.Claims("mallory", (repository, ["pull"])), stranger);

        using var response = await SendAsync(HttpMethod.Get, path, token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal($"{Prefix},scope=\"repository:{repository}:pull\",error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.False(gateway.AnyBackendSaw(path));
    }

    [Theory]
    [InlineData("Basic YWxpY2U6cGFzc3dvcmQ=")]
    [InlineData("Bearer")]
    [InlineData("Bearer not.a.token")]
    public async Task Basic_credentials_or_a_malformed_bearer_header_are_challenged(string authorization)
    {
        using var response = await _client.GetAsync("/v2/", request => request.Headers.TryAddWithoutValidation("Authorization", authorization));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith(Prefix, response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_whose_kid_is_an_explicit_jwks_kid_is_accepted()
    {
        var repository = TestContent.NewRepository();
        var token = TestTokens.Sign(TestTokens.Header("RS256", TokenGateway.JwksKeyId), TestTokens.Claims("carol", (repository, ["pull"])), gateway.JwksKey);

        using var response = await SendAsync(HttpMethod.Get, $"/v2/{repository}/tags/list", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("carol", (await ReceivedRequest.ReadAsync(response)).User);
    }

    [Fact]
    public async Task A_token_with_an_x5c_chain_to_the_bundle_is_accepted()
    {
        var repository = TestContent.NewRepository();
        using var key = gateway.ChainLeaf.GetRSAPrivateKey()!;
        var token = TestTokens.Sign(TestTokens.Header("RS256", null, gateway.ChainLeaf), TestTokens.Claims("dave", (repository, ["pull"])), key);

        using var response = await SendAsync(HttpMethod.Get, $"/v2/{repository}/tags/list", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused_at_the_door()
    {
        var repository = TestContent.NewRepository();
        var claims = TestTokens.Claims("alice", (repository, ["pull"]));
        claims["exp"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();
        var token = TestTokens.Sign(TestTokens.Header("ES256", TokenKeyIds.Thumbprint(gateway.BundleKey)), claims, gateway.BundleKey);

        using var response = await SendAsync(HttpMethod.Get, $"/v2/{repository}/tags/list", token);

        Assert.EndsWith("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.False(gateway.AnyBackendSaw($"/v2/{repository}/tags/list"));
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token) =>
        _client.SendAsync(method, path, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token));
}
