using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Gateway.Tokens;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway with <c>auth.token</c> set Distribution's way by variables, trusting an external
/// issuer: <c>rootcertbundle</c> holds a self-signed certificate of <see cref="BundleKey"/> and a
/// CA that issued <see cref="ChainLeaf"/>; <c>jwks</c> holds <see cref="JwksKey"/> as <c>jwks-key-1</c>.
/// </summary>
public sealed class TokenGateway : GatewayFixture, IDisposable
{
    public const string Realm = "https://auth.test/token";
    public const string JwksKeyId = "jwks-key-1";

    private readonly (X509Certificate2 Authority, X509Certificate2 Leaf) _chain = TestTokens.CreateChain(rsa: true);

    internal ECDsa BundleKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    internal RSA JwksKey { get; } = RSA.Create(2048);

    internal X509Certificate2 ChainLeaf => _chain.Leaf;

    /// <summary>A token signed by the bundle key, named by its libtrust kid.</summary>
    internal string Token(string subject, params (string Name, string[] Actions)[] access) =>
        TestTokens.Sign(TestTokens.Header("ES256", TokenKeyIds.Libtrust(BundleKey)), TestTokens.Claims(subject, access), BundleKey);

    public void Dispose()
    {
        BundleKey.Dispose();
        JwksKey.Dispose();
        _chain.Authority.Dispose();
        _chain.Leaf.Dispose();
    }

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        using var bundleCertificate = TestTokens.SelfSigned(BundleKey);
        var bundle = TestCertificates.WriteCertificatePem(Files.Path, "token-roots", bundleCertificate, _chain.Authority);
        yield return new("REGISTRY_AUTH_TOKEN_REALM", Realm);
        yield return new("REGISTRY_AUTH_TOKEN_SERVICE", TestTokens.Service);
        yield return new("REGISTRY_AUTH_TOKEN_ISSUER", TestTokens.Issuer);
        yield return new("REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE", bundle);
        yield return new("REGISTRY_AUTH_TOKEN_JWKS", TestTokens.WriteJwks(Files.Path, JwksKey, JwksKeyId));
    }
}

/// <summary>The rules both ACL fixtures use, and the users they name.</summary>
internal static class TestAccessControl
{
    public const string AlicePassword = "alice's password";
    public const string BobPassword = "bob's password";

    /// <summary>
    /// alice maintains <c>team/**</c>; any user pulls anything; anyone pulls <c>public/*</c>;
    /// bob may do nothing with <c>team/secret</c> (the more specific rule wins over <c>**</c>).
    /// </summary>
    public const string Section = """
        accesscontrol:
          groups:
            maintainers: [alice]
          rules:
            - group: maintainers
              repository: "team/**"
              actions: [pull, push, delete]
            - user: "*"
              repository: "**"
              actions: [pull]
            - anonymous: true
              repository: "public/*"
              actions: [pull]
            - user: bob
              repository: team/secret
              actions: []
        """;

    /// <summary>What the manifests backend lists for the catalog.</summary>
    public const string Catalog = """{"repositories":["public/a","team/app","team/secret","zoo/x"]}""";

    public static string WriteUsers(string directory)
    {
        var path = Path.Combine(directory, "users.htpasswd");
        File.WriteAllLines(path, [Htpasswd.Bcrypt("alice", AlicePassword), Htpasswd.Bcrypt("bob", BobPassword)]);
        return path;
    }

    public static string? Answers(HttpContext context) => context.Request.Path == "/v2/_catalog" ? Catalog : null;
}

/// <summary>
/// The gateway as its own token issuer: <c>auth.token</c> without realm or bundle,
/// <c>tokenservice</c> with an EC key and the users of <see cref="TestAccessControl"/>, and its ACL.
/// </summary>
public sealed class TokenServiceGateway : GatewayFixture, IDisposable
{
    public const string Issuer = "registrycloud-test";

    internal ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => Key.Dispose();

    private protected override Func<HttpContext, string?>? ManifestAnswers => TestAccessControl.Answers;

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        var keyPath = Path.Combine(Files.Path, "token.key");
        File.WriteAllText(keyPath, Key.ExportPkcs8PrivateKeyPem());
        yield return ConfigurationFile($"""
            version: 0.1
            storage: inmemory
            auth:
              token:
                service: {TestTokens.Service}
                issuer: {Issuer}
            tokenservice:
              htpasswd: {TestAccessControl.WriteUsers(Files.Path)}
              key: {keyPath}
              expiration: 2m
            {TestAccessControl.Section}
            """);
    }
}

/// <summary>The gateway with <c>auth.htpasswd</c> and the ACL of <see cref="TestAccessControl"/>.</summary>
public sealed class AccessControlledGateway : GatewayFixture
{
    public const string Realm = "acl realm";

    private protected override Func<HttpContext, string?>? ManifestAnswers => TestAccessControl.Answers;

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return ConfigurationFile($"""
            version: 0.1
            storage: inmemory
            auth:
              htpasswd:
                realm: {Realm}
                path: {TestAccessControl.WriteUsers(Files.Path)}
            {TestAccessControl.Section}
            """);
    }
}
