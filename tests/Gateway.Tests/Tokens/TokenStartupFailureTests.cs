using System.Security.Cryptography;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Tokens;

/// <summary>Token keys, bundles and key sets that are missing or wrong stop start-up, naming the key.</summary>
public sealed class TokenStartupFailureTests
{
    [Fact]
    public async Task A_missing_root_certificate_bundle_names_auth_token_rootcertbundle()
    {
        using var directory = new TemporaryDirectory();
        var missing = Path.Combine(directory.Path, "roots.pem");

        var message = await StartupErrorAsync(Token(("REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE", missing)));

        Assert.Contains($"auth.token.rootcertbundle: cannot read '{missing}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_without_certificates_names_auth_token_rootcertbundle()
    {
        using var directory = new TemporaryDirectory();
        var empty = Path.Combine(directory.Path, "roots.pem");
        await File.WriteAllTextAsync(empty, "not a certificate\n", TestContext.Current.CancellationToken);

        var message = await StartupErrorAsync(Token(("REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE", empty)));

        Assert.Contains($"auth.token.rootcertbundle: '{empty}' holds no PEM certificate", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_key_set_names_auth_token_jwks()
    {
        using var directory = new TemporaryDirectory();
        var jwks = Path.Combine(directory.Path, "jwks.json");
        await File.WriteAllTextAsync(jwks, """{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}""", TestContext.Current.CancellationToken);

        var message = await StartupErrorAsync(Token(("REGISTRY_AUTH_TOKEN_JWKS", jwks)));

        Assert.Contains("auth.token.jwks: keys[0]", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_token_service_key_names_tokenservice_key()
    {
        using var directory = new TemporaryDirectory();
        var missing = Path.Combine(directory.Path, "token.key");

        var message = await StartupErrorAsync(TokenService(directory, missing, null));

        Assert.Contains($"tokenservice.key: cannot read '{missing}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_of_another_key_names_tokenservice_certificate()
    {
        using var directory = new TemporaryDirectory();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyPath = Path.Combine(directory.Path, "token.key");
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);
        using var otherCertificate = TestTokens.SelfSigned(other);
        var certificate = TestCertificates.WriteCertificatePem(directory.Path, "token", otherCertificate);

        var message = await StartupErrorAsync(TokenService(directory, keyPath, certificate));

        Assert.Contains($"tokenservice.certificate: '{certificate}' does not certify the key of tokenservice.key", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_small_rsa_key_is_refused()
    {
        using var directory = new TemporaryDirectory();
        using var key = RSA.Create(1024);
        var keyPath = Path.Combine(directory.Path, "token.key");
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);

        var message = await StartupErrorAsync(TokenService(directory, keyPath, null));

        Assert.Contains("tokenservice.key: the RSA key", message, StringComparison.Ordinal);
        Assert.Contains("has 1024 bits", message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Token(params (string Name, string Value)[] keys)
    {
        var settings = new Dictionary<string, string>
        {
            ["REGISTRY_AUTH_TOKEN_REALM"] = "https://auth.test/token",
            ["REGISTRY_AUTH_TOKEN_SERVICE"] = TestTokens.Service,
            ["REGISTRY_AUTH_TOKEN_ISSUER"] = TestTokens.Issuer,
        };
        foreach (var (name, value) in keys)
        {
            settings[name] = value;
        }

        return settings;
    }

    private static Dictionary<string, string> TokenService(TemporaryDirectory directory, string key, string? certificate)
    {
        var settings = Token(
            ("REGISTRY_TOKENSERVICE_HTPASSWD", TestAccessControl.WriteUsers(directory.Path)),
            ("REGISTRY_TOKENSERVICE_KEY", key));
        if (certificate is not null)
        {
            settings["REGISTRY_TOKENSERVICE_CERTIFICATE"] = certificate;
        }

        return settings;
    }

    private static async Task<string> StartupErrorAsync(IReadOnlyDictionary<string, string> settings)
    {
        await using var factory = new GatewayFactory(settings);
        var error = Assert.ThrowsAny<Exception>(() => factory.Server);
        var messages = new List<string>();
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        return string.Join(" | ", messages);
    }
}
