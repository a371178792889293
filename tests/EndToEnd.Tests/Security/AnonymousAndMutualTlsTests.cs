using RegistryCloud.EndToEnd.Tests.Images;

namespace RegistryCloud.EndToEnd.Tests.Security;

/// <summary>
/// What the ACL gives callers without credentials (pull of <c>public/**</c> only), and
/// <c>http.tls.clientcas</c> with <c>verify-client-cert-if-given</c>: a certificate of the client
/// CA is accepted, one of another CA is refused in the handshake, none at all is fine.
/// </summary>
public abstract partial class AnonymousAndMutualTlsTests(SecureRegistryFixture registry)
{
    [Fact]
    public async Task Anonymous_clients_pull_public_images_without_login_but_not_team_images()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var alice = await LoginAsAliceAsync(work, registry.TrustDirectory, cancellationToken);
        var anonymous = SkopeoTls.EmptyAuthFile(work);
        var image = OciImageLayout.Write(work.Combine("layout"), "v1", seed: "security-anonymous");
        foreach (var repository in new[] { "public/hello", "team/private" })
        {
            (await SkopeoTls.CopyAsync($"oci:{image.LayoutDirectory}:v1", $"docker://{registry.Address}/{repository}:v1", registry.TrustDirectory, alice, cancellationToken))
                .EnsureSuccess($"skopeo push to {repository} as alice");
        }

        (await SkopeoTls.CopyAsync($"docker://{registry.Address}/public/hello:v1", $"oci:{work.Combine("public")}:v1", registry.TrustDirectory, anonymous, cancellationToken))
            .EnsureSuccess("anonymous skopeo pull of public/hello");
        Assert.Equal(image.Manifest.Digest, OciLayoutReader.Read(work.Combine("public"), "v1").Manifest.Digest);

        var refused = await SkopeoTls.CopyAsync($"docker://{registry.Address}/team/private:v1", $"oci:{work.Combine("team")}:v1", registry.TrustDirectory, anonymous, cancellationToken);
        Assert.False(refused.Succeeded, $"an anonymous client pulled team/private:{Environment.NewLine}{refused}");
        Assert.Matches("(?i)unauthorized|denied|authentication required", refused.StandardError);

        var anonymousPush = await SkopeoTls.CopyAsync($"oci:{image.LayoutDirectory}:v1", $"docker://{registry.Address}/public/anonymous:v1", registry.TrustDirectory, anonymous, cancellationToken);
        Assert.False(anonymousPush.Succeeded, $"an anonymous client pushed to public/:{Environment.NewLine}{anonymousPush}");
    }

    [Fact]
    public async Task A_client_certificate_of_the_client_ca_gets_in_and_one_of_another_ca_is_refused_in_the_handshake()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var image = OciImageLayout.Write(work.Combine("layout"), "v1", seed: "security-mtls");

        var alice = await LoginAsAliceAsync(work, registry.ClientCertificateDirectory, cancellationToken);
        (await SkopeoTls.CopyAsync($"oci:{image.LayoutDirectory}:v1", $"docker://{registry.Address}/team/mtls:v1", registry.ClientCertificateDirectory, alice, cancellationToken))
            .EnsureSuccess("skopeo push presenting a client certificate of the client CA");
        (await SkopeoTls.CopyAsync($"docker://{registry.Address}/team/mtls:v1", $"oci:{work.Combine("copy")}:v1", registry.ClientCertificateDirectory, alice, cancellationToken))
            .EnsureSuccess("skopeo pull presenting a client certificate of the client CA");
        Assert.Equal(image.Manifest.Digest, OciLayoutReader.Read(work.Combine("copy"), "v1").Manifest.Digest);

        var rogue = await SkopeoTls.CopyAsync($"oci:{image.LayoutDirectory}:v1", $"docker://{registry.Address}/team/mtls-rogue:v1", registry.RogueClientCertificateDirectory, alice, cancellationToken);
        Assert.False(rogue.Succeeded, $"a client certificate of an unknown CA was accepted:{Environment.NewLine}{rogue}");
        // Under TLS 1.3 the server judges the client certificate after the client thinks the
        // handshake is done, so Go sees its first read end (EOF) rather than an alert.
        Assert.True(RefusedConnection().IsMatch(rogue.StandardError), $"the copy failed, but not in the TLS handshake:{Environment.NewLine}{rogue}");
        Assert.False(Directory.Exists(Path.Combine(registry.RepositoriesRoot, "team", "mtls-rogue")), "the refused connection stored a repository");

        var rogueLogin = await SkopeoTls.LoginAsync(registry.Address, registry.RogueClientCertificateDirectory, work.Combine("rogue-auth.json"),
            SecureRegistryFixture.Alice, SecureRegistryFixture.AlicePassword, cancellationToken);
        Assert.False(rogueLogin.Succeeded, $"skopeo logged in presenting a client certificate of an unknown CA:{Environment.NewLine}{rogueLogin}");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"pinging container registry .*: (.*\btls\b.*|.*certificate.*|.*EOF|.*connection reset by peer)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex RefusedConnection();

    private async Task<string> LoginAsAliceAsync(TemporaryDirectory work, string certificateDirectory, CancellationToken cancellationToken)
    {
        var authFile = work.Combine("alice-auth.json");
        (await SkopeoTls.LoginAsync(registry.Address, certificateDirectory, authFile, SecureRegistryFixture.Alice, SecureRegistryFixture.AlicePassword, cancellationToken))
            .EnsureSuccess("skopeo login as alice");
        return authFile;
    }
}
