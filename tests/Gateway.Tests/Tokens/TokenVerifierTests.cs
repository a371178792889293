using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Gateway.Tokens;

namespace RegistryCloud.Gateway.Tests.Tokens;

/// <summary>Bearer token verification, case by case: every way a token is accepted and every way it is refused.</summary>
public sealed class TokenVerifierTests : IDisposable
{
    private const string Jwks = "jwks-key-1";
    private readonly ECDsa _bundleKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RSA _jwksKey = RSA.Create(2048);
    private readonly (X509Certificate2 Authority, X509Certificate2 Leaf) _chain = TestTokens.CreateChain();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TokenVerifier _verifier;

    public TokenVerifierTests()
    {
        var keys = new TrustedTokenKeys();
        keys.Add(_bundleKey);
        keys.Add(_jwksKey, Jwks);
        keys.Roots.Add(_chain.Authority);
        var options = new TokenAuthConfiguration { Realm = "https://auth.test/token", Service = TestTokens.Service, Issuer = TestTokens.Issuer };
        _verifier = new TokenVerifier(options, keys, _time);
    }

    public void Dispose()
    {
        _bundleKey.Dispose();
        _jwksKey.Dispose();
        _chain.Authority.Dispose();
        _chain.Leaf.Dispose();
    }

    public static TheoryData<string> KeyIdForms() => ["libtrust", "thumbprint", "jwks"];

    [Theory]
    [MemberData(nameof(KeyIdForms))]
    public async Task A_token_whose_kid_names_a_trusted_key_in_any_form_is_accepted(string form)
    {
        var (key, kid, algorithm) = form switch
        {
            "libtrust" => ((AsymmetricAlgorithm)_bundleKey, TokenKeyIds.Libtrust(_bundleKey), "ES256"),
            "thumbprint" => (_bundleKey, TokenKeyIds.Thumbprint(_bundleKey), "ES256"),
            _ => (_jwksKey, Jwks, "RS256"),
        };
        var token = TestTokens.Sign(TestTokens.Header(algorithm, kid), TestTokens.Claims("alice", ("library/alpine", ["pull"])), key);

        var claims = await VerifyAsync(token);

        Assert.NotNull(claims);
        Assert.Equal("alice", claims.Subject);
        Assert.True(claims.Grants("repository", "library/alpine", "pull"));
        Assert.False(claims.Grants("repository", "library/alpine", "push"));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    public async Task Every_rsa_algorithm_verifies_with_an_rsa_key(string algorithm)
    {
        var token = TestTokens.Sign(TestTokens.Header(algorithm, Jwks), TestTokens.Claims("alice"), _jwksKey);

        Assert.NotNull(await VerifyAsync(token));
    }

    [Theory]
    [InlineData("ES384", 384)]
    [InlineData("ES512", 521)]
    public async Task Larger_ec_curves_verify_with_their_algorithm(string algorithm, int size)
    {
        using var key = ECDsa.Create(size == 384 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP521);
        var keys = new TrustedTokenKeys();
        keys.Add(key);
        var verifier = new TokenVerifier(_verifier.Options, keys, _time);
        var token = TestTokens.Sign(TestTokens.Header(algorithm, TokenKeyIds.Libtrust(key)), TestTokens.Claims("alice"), key);

        var (claims, problem) = await verifier.VerifyAsync(token);

        Assert.NotNull(claims);
        Assert.Empty(problem);
    }

    [Fact]
    public async Task A_token_with_an_x5c_chain_to_a_bundle_certificate_is_accepted_without_a_kid()
    {
        using var leafKey = _chain.Leaf.GetECDsaPrivateKey()!;
        var token = TestTokens.Sign(TestTokens.Header("ES256", null, _chain.Leaf), TestTokens.Claims("alice"), leafKey);

        Assert.NotNull(await VerifyAsync(token));
    }

    [Fact]
    public async Task An_x5c_chain_to_an_unknown_authority_is_refused()
    {
        var (_, stranger) = TestTokens.CreateChain();
        using var strangerKey = stranger.GetECDsaPrivateKey()!;
        var token = TestTokens.Sign(TestTokens.Header("ES256", null, stranger), TestTokens.Claims("alice"), strangerKey);

        Assert.Null(await VerifyAsync(token, "certificate chain does not reach auth.token.rootcertbundle"));
    }

    [Fact]
    public async Task An_x5c_leaf_with_a_signature_from_another_key_is_refused()
    {
        var token = TestTokens.Sign(TestTokens.Header("ES256", null, _chain.Leaf), TestTokens.Claims("alice"), _bundleKey);

        Assert.Null(await VerifyAsync(token, "bad signature"));
    }

    [Fact]
    public async Task A_jwk_header_of_a_trusted_key_is_accepted_and_of_another_key_refused()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var trusted = TestTokens.Header("ES256");
        trusted["jwk"] = Jwk(_bundleKey);
        var untrusted = TestTokens.Header("ES256");
        untrusted["jwk"] = Jwk(stranger);

        Assert.NotNull(await VerifyAsync(TestTokens.Sign(trusted, TestTokens.Claims("alice"), _bundleKey)));
        Assert.Null(await VerifyAsync(TestTokens.Sign(untrusted, TestTokens.Claims("alice"), stranger), "untrusted jwk with no certificate chain"));
    }

    [Fact]
    public async Task A_garbled_jwk_header_is_refused_without_an_exception()
    {
        var garbled = TestTokens.Header("ES256");
        garbled["jwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = "!!!", ["y"] = "***" };
        var emptyChain = TestTokens.Header("ES256");
        emptyChain["jwk"] = Jwk(_bundleKey);
        emptyChain["jwk"]!["x5c"] = new JsonArray();

        Assert.Null(await VerifyAsync(TestTokens.Sign(garbled, TestTokens.Claims("alice"), _bundleKey), "unreadable jwk header"));
        Assert.Null(await VerifyAsync(TestTokens.Sign(emptyChain, TestTokens.Claims("alice"), _bundleKey), "empty x5c certificate chain"));
    }

    [Theory]
    [InlineData("exp", 1e15, true)]
    [InlineData("exp", 1e18, true)]
    [InlineData("exp", -1e300, false)]
    [InlineData("nbf", -1e18, true)]
    [InlineData("nbf", 1e300, false)]
    public async Task Times_far_outside_the_calendar_are_judged_without_an_exception(string claim, double value, bool valid)
    {
        var claims = TestTokens.Claims("alice");
        claims[claim] = value;

        Assert.Equal(valid, (await _verifier.VerifyAsync(Signed(claims))).Claims is not null);
    }

    [Fact]
    public async Task An_unknown_kid_is_refused()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = TestTokens.Sign(TestTokens.Header("ES256", TokenKeyIds.Libtrust(stranger)), TestTokens.Claims("alice"), stranger);

        Assert.Null(await VerifyAsync(token, $"token signed by untrusted key with ID '{TokenKeyIds.Libtrust(stranger)}'"));
    }

    [Fact]
    public async Task A_trusted_kid_on_a_token_signed_by_another_key_is_refused()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = TestTokens.Sign(TestTokens.Header("ES256", TokenKeyIds.Libtrust(_bundleKey)), TestTokens.Claims("alice"), stranger);

        Assert.Null(await VerifyAsync(token, "bad signature"));
    }

    [Fact]
    public async Task A_token_naming_no_key_is_refused()
    {
        var token = TestTokens.Sign(TestTokens.Header("ES256"), TestTokens.Claims("alice"), _bundleKey);

        Assert.Null(await VerifyAsync(token, "token names no signing key (x5c, jwk or kid)"));
    }

    [Fact]
    public async Task The_none_algorithm_is_refused()
    {
        var token = TestTokens.Sign(TestTokens.Header("none", TokenKeyIds.Libtrust(_bundleKey)), TestTokens.Claims("alice"), null);

        Assert.Null(await VerifyAsync(token, "signing algorithm 'none' is not accepted"));
    }

    [Fact]
    public async Task An_hmac_token_keyed_with_the_public_key_is_refused()
    {
        // The algorithm-confusion forgery: HS256 with the verifier's public key as the secret.
        var secret = _jwksKey.ExportSubjectPublicKeyInfo();
        var token = TestTokens.Sign(TestTokens.Header("HS256", Jwks), TestTokens.Claims("alice"), secret);

        Assert.Null(await VerifyAsync(token, "signing algorithm 'HS256' is not accepted"));
    }

    [Fact]
    public async Task An_rsa_key_cannot_verify_an_es256_token_and_the_reverse()
    {
        var es = TestTokens.Sign(TestTokens.Header("ES256", Jwks), TestTokens.Claims("alice"), _bundleKey);
        var rs = TestTokens.Sign(TestTokens.Header("RS256", TokenKeyIds.Libtrust(_bundleKey)), TestTokens.Claims("alice"), _jwksKey);

        Assert.Null(await VerifyAsync(es, "bad signature"));
        Assert.Null(await VerifyAsync(rs, "bad signature"));
    }

    [Fact]
    public async Task A_tampered_payload_is_refused()
    {
        var token = TestTokens.Sign(TestTokens.Header("ES256", TokenKeyIds.Libtrust(_bundleKey)), TestTokens.Claims("alice", ("a/b", ["pull"])), _bundleKey);
        var parts = token.Split('.');
        var claims = TestTokens.Decode(parts[1]);
        claims["access"]![0]!["actions"] = new JsonArray("pull", "push");
        var tampered = $"{parts[0]}.{TestTokens.Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}.{parts[2]}";

        Assert.Null(await VerifyAsync(tampered, "bad signature"));
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("a.b")]
    [InlineData("!!.??.**")]
    [InlineData("e30.e30.")]
    public async Task A_malformed_or_unsigned_token_is_refused(string raw)
    {
        var (claims, problem) = await _verifier.VerifyAsync(raw);

        Assert.Null(claims);
        Assert.NotEmpty(problem);
    }

    [Fact]
    public async Task A_token_of_another_issuer_is_refused()
    {
        var claims = TestTokens.Claims("alice");
        claims["iss"] = "someone-else";

        Assert.Null(await VerifyAsync(Signed(claims), "untrusted issuer 'someone-else'"));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused_and_an_audience_list_naming_the_service_is_accepted()
    {
        var other = TestTokens.Claims("alice");
        other["aud"] = "other.registry";
        var list = TestTokens.Claims("alice");
        list["aud"] = new JsonArray("other.registry", TestTokens.Service);

        Assert.Null(await VerifyAsync(Signed(other), "token for another audience 'other.registry'"));
        Assert.NotNull(await VerifyAsync(Signed(list)));
    }

    [Fact]
    public async Task An_expired_token_is_refused_once_the_leeway_has_passed()
    {
        var claims = TestTokens.Claims("alice");
        claims["exp"] = _time.GetUtcNow().AddSeconds(-30).ToUnixTimeSeconds();
        var token = Signed(claims);

        Assert.NotNull(await VerifyAsync(token));
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(await VerifyAsync(token, "expired token"));
    }

    [Fact]
    public async Task A_token_without_exp_is_refused()
    {
        var claims = TestTokens.Claims("alice");
        claims.Remove("exp");

        Assert.Null(await VerifyAsync(Signed(claims), "expired token"));
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_refused_until_within_the_leeway()
    {
        var claims = TestTokens.Claims("alice");
        claims["nbf"] = _time.GetUtcNow().AddSeconds(90).ToUnixTimeSeconds();
        var token = Signed(claims);

        Assert.Null(await VerifyAsync(token, "token not yet valid"));
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.NotNull(await VerifyAsync(token));
    }

    [Fact]
    public async Task Signing_algorithms_restrict_what_is_accepted()
    {
        var keys = new TrustedTokenKeys();
        keys.Add(_bundleKey);
        keys.Add(_jwksKey, Jwks);
        var options = _verifier.Options with { SigningAlgorithms = ["RS256"] };
        var verifier = new TokenVerifier(options, keys, _time);

        var (refused, problem) = await verifier.VerifyAsync(Signed(TestTokens.Claims("alice")));

        Assert.Null(refused);
        Assert.Equal("signing algorithm 'ES256' is not accepted", problem);
        Assert.NotNull((await verifier.VerifyAsync(TestTokens.Sign(TestTokens.Header("RS256", Jwks), TestTokens.Claims("alice"), _jwksKey))).Claims);
    }

    [Fact]
    public async Task A_star_action_grants_every_action()
    {
        var claims = await VerifyAsync(Signed(TestTokens.Claims("alice", ("a/b", ["*"]))));

        Assert.NotNull(claims);
        Assert.True(claims.Grants("repository", "a/b", "delete"));
        Assert.False(claims.Grants("repository", "a/c", "pull"));
    }

    private string Signed(JsonObject claims) =>
        TestTokens.Sign(TestTokens.Header("ES256", TokenKeyIds.Libtrust(_bundleKey)), claims, _bundleKey);

    private async Task<TokenClaims?> VerifyAsync(string token, string? expectedProblem = null)
    {
        var (claims, problem) = await _verifier.VerifyAsync(token);
        Assert.Equal(expectedProblem ?? "", problem);
        return claims;
    }

    private static JsonObject Jwk(ECDsa key)
    {
        var q = key.ExportParameters(false).Q;
        return new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = TestTokens.Base64Url(q.X!), ["y"] = TestTokens.Base64Url(q.Y!) };
    }
}
