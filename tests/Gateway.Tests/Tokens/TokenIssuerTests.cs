using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Authorization;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Gateway.Tokens;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Tokens;

/// <summary>Tokens the built-in service signs verify the ways other registries verify them.</summary>
public sealed class TokenIssuerTests : IDisposable
{
    private static readonly TokenAuthConfiguration Token = new() { Realm = "", Service = TestTokens.Service, Issuer = TestTokens.Issuer };
    private readonly TemporaryDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task With_a_certificate_the_token_carries_x5c_and_verifies_by_the_bundle_alone()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = TestTokens.SelfSigned(key);
        var issuer = new TokenIssuer(Options(key, TestCertificates.WriteCertificatePem(_directory.Path, "token", certificate)), Token, _time);
        // The verifier holds the certificate as a root and no key by id: the x5c chain is the only way in.
        var keys = new TrustedTokenKeys();
        keys.Roots.Add(certificate);
        var (token, _) = issuer.Issue("alice", [new ResourceAccess("repository", "a/b", ["pull"])]);

        var header = TestTokens.Decode(token.Split('.')[0]);
        var (claims, problem) = await new TokenVerifier(Token, keys, _time).VerifyAsync(token);

        Assert.Equal(Convert.ToBase64String(certificate.RawData), header["x5c"]![0]!.GetValue<string>());
        Assert.Equal("", problem);
        Assert.True(claims!.Grants("repository", "a/b", "pull"));
    }

    [Fact]
    public async Task An_rsa_key_signs_rs256_verified_by_its_libtrust_kid()
    {
        using var key = RSA.Create(2048);
        var issuer = new TokenIssuer(Options(key, null), Token, _time);
        var keys = new TrustedTokenKeys();
        keys.Add(issuer.PublicKey);

        var (token, _) = issuer.Issue("bob", []);

        Assert.Equal("RS256", issuer.Algorithm);
        Assert.Equal(TokenKeyIds.Libtrust(key), TestTokens.Decode(token.Split('.')[0])["kid"]!.GetValue<string>());
        Assert.NotNull((await new TokenVerifier(Token, keys, _time).VerifyAsync(token)).Claims);
    }

    [Fact]
    public async Task An_issued_token_expires_after_the_configured_lifetime()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var issuer = new TokenIssuer(Options(key, null) with { Expiration = TimeSpan.FromMinutes(2) }, Token, _time);
        var keys = new TrustedTokenKeys();
        keys.Add(issuer.PublicKey);
        var verifier = new TokenVerifier(Token, keys, _time);
        var (token, _) = issuer.Issue("alice", []);

        Assert.Equal("ES384", issuer.Algorithm);
        Assert.NotNull((await verifier.VerifyAsync(token)).Claims);
        _time.Advance(TimeSpan.FromMinutes(2) + TokenVerifier.Leeway + TimeSpan.FromSeconds(1));
        var (claims, problem) = await verifier.VerifyAsync(token);
        Assert.Null(claims);
        Assert.Equal("expired token", problem);
    }

    [Fact]
    public void An_issued_token_carries_the_header_and_claims_distribution_clients_read()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // On a whole second, so the claims' seconds are exact whichever way a library rounds.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var issuer = new TokenIssuer(Options(key, null) with { Expiration = TimeSpan.FromMinutes(5) }, Token, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(now)));

        var parts = issuer.Issue("alice", []).Token.Split('.');
        var header = TestTokens.Decode(parts[0]);
        var claims = TestTokens.Decode(parts[1]);

        Assert.Equal("JWT", header["typ"]!.GetValue<string>());
        Assert.Equal("ES256", header["alg"]!.GetValue<string>());
        Assert.Equal(TokenKeyIds.Libtrust(key), header["kid"]!.GetValue<string>());
        Assert.Equal(TestTokens.Issuer, claims["iss"]!.GetValue<string>());
        Assert.Equal(TestTokens.Service, claims["aud"]!.GetValue<string>());
        Assert.Equal(now, claims["iat"]!.GetValue<long>());
        Assert.Equal(now, claims["nbf"]!.GetValue<long>());
        Assert.Equal(now + 300, claims["exp"]!.GetValue<long>());
        Assert.Matches("^[0-9a-f]{32}$", claims["jti"]!.GetValue<string>());
        Assert.NotEqual(claims["jti"]!.GetValue<string>(), TestTokens.Decode(issuer.Issue("alice", []).Token.Split('.')[1])["jti"]!.GetValue<string>());
    }

    private TokenServiceConfiguration Options(AsymmetricAlgorithm key, string? certificate)
    {
        var path = Path.Combine(_directory.Path, Guid.NewGuid().ToString("N") + ".key");
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        return new TokenServiceConfiguration { Htpasswd = "unused", Key = path, Certificate = certificate };
    }
}
