using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Gateway.Tokens;

namespace RegistryCloud.Gateway.Tests.Tokens;

/// <summary>
/// Where the JWT library's own defaults differ from Distribution's rules, the verifier's settings
/// decide: these pin each such setting, and what the library now refuses to read at all.
/// </summary>
public sealed class TokenLibraryPolicyTests : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TokenAuthConfiguration _options = new() { Realm = "https://auth.test/token", Service = TestTokens.Service, Issuer = TestTokens.Issuer };

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task Signing_algorithms_that_name_only_hmac_accept_no_token()
    {
        // The library reads an empty list of valid algorithms as "any": the verifier must not.
        var verifier = Verifier(_options with { SigningAlgorithms = ["HS256"] });

        var (claims, problem) = await verifier.VerifyAsync(Signed(TestTokens.Claims("alice")));

        Assert.Null(claims);
        Assert.Equal("signing algorithm 'ES256' is not accepted", problem);
    }

    [Theory]
    [InlineData("ES384")]
    [InlineData("ES512")]
    public async Task An_ec_signature_with_another_curve_s_algorithm_is_refused(string algorithm)
    {
        // Signed with the P-256 key and the hash the algorithm names: the library alone accepts it.
        var token = TestTokens.Sign(TestTokens.Header(algorithm, TokenKeyIds.Libtrust(_key)), TestTokens.Claims("alice"), _key);

        var (claims, problem) = await Verifier(_options).VerifyAsync(token);

        Assert.Null(claims);
        Assert.Equal("bad signature", problem);
    }

    [Fact]
    public async Task An_audience_that_differs_only_by_a_trailing_slash_is_refused()
    {
        var claims = TestTokens.Claims("alice");
        claims["aud"] = TestTokens.Service + "/";

        var (accepted, problem) = await Verifier(_options).VerifyAsync(Signed(claims));

        Assert.Null(accepted);
        Assert.Equal($"token for another audience '{TestTokens.Service}/'", problem);
    }

    [Theory]
    [InlineData("exp", 1e300)]
    [InlineData("nbf", -1e300)]
    public async Task A_time_beyond_64_bit_seconds_makes_the_token_malformed(string claim, double value)
    {
        var claims = TestTokens.Claims("alice");
        claims[claim] = value;

        var (accepted, problem) = await Verifier(_options).VerifyAsync(Signed(claims));

        Assert.Null(accepted);
        Assert.Equal("malformed token", problem);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("iss")]
    [InlineData("aud")]
    public async Task A_forged_token_is_refused_for_its_signature_whatever_else_is_wrong_with_it(string claim)
    {
        // The handler, given a kid it cannot match to the key's KeyId, checks these claims before
        // it reports a failed signature.
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var claims = TestTokens.Claims("alice");
        claims[claim] = claim == "exp" ? _time.GetUtcNow().AddHours(-1).ToUnixTimeSeconds() : "someone-else";

        var (accepted, problem) = await Verifier(_options).VerifyAsync(
            TestTokens.Sign(TestTokens.Header("ES256", TokenKeyIds.Libtrust(_key)), claims, forger));

        Assert.Null(accepted);
        Assert.Equal("bad signature", problem);
    }

    [Fact]
    public async Task An_encrypted_token_is_refused()
    {
        var header = TestTokens.Base64Url(Encoding.UTF8.GetBytes("""{"alg":"RSA-OAEP","enc":"A256GCM"}"""));

        var (claims, problem) = await Verifier(_options).VerifyAsync($"{header}.AAAA.AAAA.AAAA.AAAA");

        Assert.Null(claims);
        Assert.Equal("encrypted token (JWE) is not accepted", problem);
    }

    [Fact]
    public async Task A_jwk_header_that_is_not_an_object_is_refused()
    {
        var header = TestTokens.Header("ES256", TokenKeyIds.Libtrust(_key));
        header["jwk"] = "a string, not a key";

        var (claims, problem) = await Verifier(_options).VerifyAsync(TestTokens.Sign(header, TestTokens.Claims("alice"), _key));

        Assert.Null(claims);
        Assert.Equal("unreadable jwk header", problem);
    }

    [Fact]
    public void Only_rsa_keys_and_ec_keys_on_jose_curves_are_trusted()
    {
        using var koblitz = ECDsa.Create(ECCurve.CreateFromFriendlyName("secP256k1"));
        using var dsa = DSA.Create();
        var keys = new TrustedTokenKeys();

        Assert.False(keys.TryAdd(koblitz));
        Assert.False(keys.TryAdd(dsa));
        Assert.Equal(0, keys.Count);
        Assert.True(keys.TryAdd(_key));
    }

    private TokenVerifier Verifier(TokenAuthConfiguration options)
    {
        var keys = new TrustedTokenKeys();
        keys.Add(_key);
        return new TokenVerifier(options, keys, _time);
    }

    private string Signed(JsonObject claims) =>
        TestTokens.Sign(TestTokens.Header("ES256", TokenKeyIds.Libtrust(_key)), claims, _key);
}
