using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace RegistryCloud.EndToEnd.Tests.Security;

/// <summary>
/// The gateway as its own token issuer: <c>auth.token</c> (no realm: challenges name the
/// gateway's <c>/auth/token</c>) and <c>tokenservice</c> with an EC signing key and the htpasswd users.
/// </summary>
public sealed class TokenRegistryFixture : SecureRegistryFixture
{
    public const string Service = "registrycloud-e2e";

    /// <summary>Like Distribution: a valid token lacking an action is 401 insufficient_scope, so clients fetch a wider one.</summary>
    public override HttpStatusCode RefusedPushStatus => HttpStatusCode.Unauthorized;

    public override async Task AuthorizeAsync(HttpRequestMessage request, string user, string password, string scope, CancellationToken cancellationToken)
    {
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, $"auth/token?service={Service}&scope={Uri.EscapeDataString(scope)}");
        tokenRequest.Headers.Authorization = Basic(user, password);
        using var response = await Http.SendAsync(tokenRequest, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET /auth/token as {user}: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("token").GetString());
    }

    protected override string AuthSection(string htpasswdPath, string pki)
    {
        var keyPath = Path.Combine(pki, "token.key");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        }

        return $"""
            auth:
              token:
                service: {Service}
                issuer: registrycloud-e2e-issuer
            tokenservice:
              htpasswd: {htpasswdPath}
              key: {keyPath}
              expiration: 5m
            """;
    }
}

/// <summary><c>auth.htpasswd</c>: Basic credentials on every request, the ACL applied by the gateway itself.</summary>
public sealed class HtpasswdRegistryFixture : SecureRegistryFixture
{
    public override HttpStatusCode RefusedPushStatus => HttpStatusCode.Forbidden;

    /// <summary>Two replicas: authorization must hold whichever replica serves each request.</summary>
    public override int Replicas => 2;

    public override Task AuthorizeAsync(HttpRequestMessage request, string user, string password, string scope, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = Basic(user, password);
        return Task.CompletedTask;
    }

    protected override string AuthSection(string htpasswdPath, string pki) => $"""
        auth:
          htpasswd:
            realm: RegistryCloud e2e
            path: {htpasswdPath}
        """;
}

/// <summary>The TLS + token service + ACL registry; runs alongside the plain <c>Registry</c> collection.</summary>
[CollectionDefinition(Name)]
public sealed class TokenRegistryCollection : ICollectionFixture<TokenRegistryFixture>
{
    public const string Name = "SecureRegistry.Token";
}

/// <summary>The TLS + htpasswd + ACL registry; a second AppHost, alongside the others.</summary>
[CollectionDefinition(Name)]
public sealed class HtpasswdRegistryCollection : ICollectionFixture<HtpasswdRegistryFixture>
{
    public const string Name = "SecureRegistry.Htpasswd";
}

[Collection(TokenRegistryCollection.Name)]
public sealed class SkopeoTokenAuthTests(TokenRegistryFixture registry) : SkopeoAuthTests(registry);

[Collection(HtpasswdRegistryCollection.Name)]
public sealed class SkopeoHtpasswdAuthTests(HtpasswdRegistryFixture registry) : SkopeoAuthTests(registry);

[Collection(TokenRegistryCollection.Name)]
public sealed class DockerTokenLoginTests(TokenRegistryFixture registry) : DockerLoginTests(registry);

[Collection(HtpasswdRegistryCollection.Name)]
public sealed class DockerHtpasswdLoginTests(HtpasswdRegistryFixture registry) : DockerLoginTests(registry);

[Collection(TokenRegistryCollection.Name)]
public sealed class AnonymousAndMutualTlsTokenTests(TokenRegistryFixture registry) : AnonymousAndMutualTlsTests(registry);

[Collection(HtpasswdRegistryCollection.Name)]
public sealed class AnonymousAndMutualTlsHtpasswdTests(HtpasswdRegistryFixture registry) : AnonymousAndMutualTlsTests(registry);

[Collection(TokenRegistryCollection.Name)]
public sealed class MountAuthorizationTokenTests(TokenRegistryFixture registry) : MountAuthorizationTests(registry);

[Collection(HtpasswdRegistryCollection.Name)]
public sealed class MountAuthorizationHtpasswdTests(HtpasswdRegistryFixture registry) : MountAuthorizationTests(registry);
