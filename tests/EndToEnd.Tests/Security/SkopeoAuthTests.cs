using System.Net;
using RegistryCloud.EndToEnd.Tests.Images;

namespace RegistryCloud.EndToEnd.Tests.Security;

/// <summary>
/// skopeo over TLS (trusting only the test CA), in each auth mode: logging in,
/// a push and pull as a user the ACL lets push, and a push the ACL refuses leaving nothing behind.
/// </summary>
public abstract class SkopeoAuthTests(SecureRegistryFixture registry)
{
    [Fact]
    public async Task Alice_logs_in_over_tls_pushes_to_team_and_pulls_the_image_back_byte_identical()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var authFile = work.Combine("auth.json");
        (await SkopeoTls.LoginAsync(registry.Address, registry.TrustDirectory, authFile, SecureRegistryFixture.Alice, SecureRegistryFixture.AlicePassword, cancellationToken))
            .EnsureSuccess("skopeo login as alice");
        Assert.Contains(registry.Address, await File.ReadAllTextAsync(authFile, cancellationToken));

        var image = OciImageLayout.Write(work.Combine("layout"), "v1", seed: "security-skopeo-alice");
        var remote = $"docker://{registry.Address}/team/app:v1";
        (await SkopeoTls.CopyAsync($"oci:{image.LayoutDirectory}:v1", remote, registry.TrustDirectory, authFile, cancellationToken))
            .EnsureSuccess("skopeo push as alice");
        (await SkopeoTls.CopyAsync(remote, $"oci:{work.Combine("copy")}:v1", registry.TrustDirectory, authFile, cancellationToken))
            .EnsureSuccess("skopeo pull as alice");

        var copy = OciLayoutReader.Read(work.Combine("copy"), "v1");
        Assert.Equal(image.Manifest.Bytes, copy.Manifest.Bytes);
        Assert.Equal(image.Config.Bytes, copy.Config.Bytes);
        Assert.Equal(image.Layers.Select(layer => layer.Bytes), copy.Layers.Select(layer => layer.Bytes));
    }

    [Fact]
    public async Task Skopeo_login_with_a_wrong_password_fails()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var authFile = work.Combine("auth.json");

        var login = await SkopeoTls.LoginAsync(registry.Address, registry.TrustDirectory, authFile, SecureRegistryFixture.Alice, "not-alices-password", cancellationToken);

        Assert.False(login.Succeeded, $"skopeo logged in with a wrong password:{Environment.NewLine}{login}");
        Assert.True(login.StandardError.Contains("invalid username/password", StringComparison.OrdinalIgnoreCase), $"skopeo login failed, but not for the credentials:{Environment.NewLine}{login}");
        Assert.False(File.Exists(authFile) && (await File.ReadAllTextAsync(authFile, cancellationToken)).Contains(registry.Address, StringComparison.Ordinal),
            "a failed login stored credentials");
    }

    [Fact]
    public async Task Bob_may_pull_team_but_his_push_is_refused_and_leaves_nothing_in_storage()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var authFile = work.Combine("auth.json");
        (await SkopeoTls.LoginAsync(registry.Address, registry.TrustDirectory, authFile, SecureRegistryFixture.Bob, SecureRegistryFixture.BobPassword, cancellationToken))
            .EnsureSuccess("skopeo login as bob (his password is right; the ACL decides what he may do)");
        var image = OciImageLayout.Write(work.Combine("layout"), "v1", seed: "security-skopeo-bob-denied");
        const string repository = "team/bob-denied";

        var push = await SkopeoTls.CopyAsync($"oci:{image.LayoutDirectory}:v1", $"docker://{registry.Address}/{repository}:v1", registry.TrustDirectory, authFile, cancellationToken);

        Assert.False(push.Succeeded, $"bob pushed to {repository}, which the ACL lets him only pull:{Environment.NewLine}{push}");
        Assert.Matches("(?i)unauthorized|denied|authentication required", push.StandardError);

        // Alice, who may pull there, finds neither the tag nor any of the image's blobs.
        var alice = (SecureRegistryFixture.Alice, SecureRegistryFixture.AlicePassword);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Get, $"v2/{repository}/manifests/v1", alice, cancellationToken));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Get, $"v2/{repository}/manifests/{image.Manifest.Digest}", alice, cancellationToken));
        foreach (var blob in image.Layers.Append(image.Config))
        {
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Head, $"v2/{repository}/blobs/{blob.Digest}", alice, cancellationToken));
        }

        // On disk: no repository directory, and no blob data under any name (the seed is unique).
        Assert.False(Directory.Exists(Path.Combine(registry.RepositoriesRoot, "team", "bob-denied")), "the refused push created a repository directory");
        var blobsRoot = Path.Combine(Path.GetDirectoryName(registry.RepositoriesRoot)!, "blobs");
        foreach (var blob in image.Layers.Append(image.Config))
        {
            var hex = blob.Digest["sha256:".Length..];
            Assert.False(Directory.Exists(Path.Combine(blobsRoot, "sha256", hex[..2], hex)), $"the refused push stored blob {blob.Digest}");
        }

        // And bob may still pull what is there: the refusal was about push only.
        var bob = (SecureRegistryFixture.Bob, SecureRegistryFixture.BobPassword);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Get, $"v2/{repository}/manifests/v1", bob, cancellationToken));
        Assert.Equal(registry.RefusedPushStatus, await StatusAsync(HttpMethod.Post, $"v2/{repository}/blobs/uploads/", bob, cancellationToken));
    }

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, (string User, string Password) caller, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        var action = method == HttpMethod.Post ? "pull,push" : "pull";
        await registry.AuthorizeAsync(request, caller.User, caller.Password, $"repository:{OciRepository(path)}:{action}", cancellationToken);
        using var response = await registry.Http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>The repository of a <c>v2/&lt;name&gt;/(manifests|blobs)/...</c> path.</summary>
    private static string OciRepository(string path)
    {
        var name = path["v2/".Length..];
        return name[..Math.Max(name.LastIndexOf("/manifests/", StringComparison.Ordinal), name.LastIndexOf("/blobs/", StringComparison.Ordinal))];
    }
}
