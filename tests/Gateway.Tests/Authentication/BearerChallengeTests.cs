using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Authentication;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Gateway.Tokens;

namespace RegistryCloud.Gateway.Tests.Authentication;

/// <summary>The realm a challenge names: configured, Distribution's autoredirect, or the gateway's own token service.</summary>
public sealed class BearerChallengeTests
{
    private static readonly TokenAuthConfiguration Options = new()
    {
        Realm = "https://auth.example/token",
        Service = TestTokens.Service,
        Issuer = TestTokens.Issuer,
    };

    [Fact]
    public async Task The_configured_realm_is_named_as_it_is()
    {
        Assert.Equal($"Bearer realm=\"https://auth.example/token\",service=\"{TestTokens.Service}\"", await ChallengeAsync(Options, null));
    }

    [Fact]
    public async Task Autoredirect_names_the_request_s_host_over_https_unless_forwarded_otherwise()
    {
        var options = Options with { AutoRedirect = true, AutoRedirectPath = "/auth/token" };

        Assert.StartsWith("Bearer realm=\"https://registry.example:5000/auth/token\"", await ChallengeAsync(options, null), StringComparison.Ordinal);
        Assert.StartsWith("Bearer realm=\"http://registry.example:5000/auth/token\"", await ChallengeAsync(options, "http"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_realm_beside_the_token_service_the_gateway_s_own_endpoint_is_named()
    {
        Assert.StartsWith("Bearer realm=\"http://registry.example:5000/auth/token\"", await ChallengeAsync(Options with { Realm = "" }, null), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https\",error=\"x")]
    [InlineData("javascript")]
    [InlineData("https\r\nX-Injected: yes")]
    public async Task A_forwarded_proto_other_than_http_or_https_is_not_copied_into_the_realm(string forwardedProto)
    {
        var options = Options with { AutoRedirect = true, AutoRedirectPath = "/auth/token" };

        Assert.Equal(
            $"Bearer realm=\"https://registry.example:5000/auth/token\",service=\"{TestTokens.Service}\"",
            await ChallengeAsync(options, forwardedProto));
    }

    [Theory]
    [InlineData("registry.example\",error=\"x")]
    [InlineData("registry.example\\")]
    [InlineData("registry.example\r\nX-Injected: yes")]
    public async Task A_host_cannot_end_the_quoted_realm_or_the_header(string host)
    {
        var challenge = await ChallengeAsync(Options with { Realm = "" }, null, host);

        Assert.Equal(4, challenge.Count(c => c == '"'));
        Assert.DoesNotContain('\\', challenge);
        Assert.DoesNotContain(challenge, c => char.IsControl(c));
        Assert.EndsWith($"/auth/token\",service=\"{TestTokens.Service}\"", challenge, StringComparison.Ordinal);
    }

    private static async Task<string> ChallengeAsync(TokenAuthConfiguration options, string? forwardedProto, string host = "registry.example:5000")
    {
        var keys = new TrustedTokenKeys();
        using var key = System.Security.Cryptography.ECDsa.Create();
        keys.Add(key);
        var authenticator = new BearerAuthenticator(new TokenVerifier(options, keys, TimeProvider.System), NullLogger<BearerAuthenticator>.Instance);
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Headers.Host = host;
        context.Request.Path = "/v2/";
        context.Request.Method = "GET";
        if (forwardedProto is not null)
        {
            context.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
        }

        var (allowed, _) = await authenticator.AuthenticateAsync(context, []);

        Assert.False(allowed);
        Assert.Equal(401, context.Response.StatusCode);
        return context.Response.Headers.WWWAuthenticate.ToString();
    }
}
