using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Security;

/// <summary>
/// The Docker engine, over the gateway's TLS-only listener (the CA in <c>/etc/docker/certs.d</c>;
/// dockerd does not verify it for a loopback registry, see <see cref="SecureRegistryFixture"/>),
/// logs in to the token service with <c>--password-stdin</c>, pushes and pulls, and logs out; a
/// wrong password does not log in, and without login nothing of <c>team/</c> can be pushed or pulled.
/// </summary>
public abstract class DockerLoginTests(SecureRegistryFixture registry)
{
    [Fact]
    public async Task Docker_logs_in_over_tls_pushes_pulls_and_logs_out()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var docker = await registry.GetDockerAsync();
        using var work = new TemporaryDirectory();
        var image = OciImageLayout.Write(work.Combine("layout"), "v1", seed: "security-docker");
        var archive = work.Combine("image.tar");
        await Skopeo.CopyAsync($"oci:{image.LayoutDirectory}:v1", $"docker-archive:{archive}:security-docker:v1", cancellationToken);
        await docker.RunSuccessfullyAsync("load", "-i", archive);
        var remote = $"{registry.Address}/team/docker:v1";
        await docker.RunSuccessfullyAsync("tag", "security-docker:v1", remote);

        var anonymousPush = await docker.RunAsync("push", remote);
        Assert.False(anonymousPush.Succeeded, $"docker pushed to team/ without logging in:{Environment.NewLine}{anonymousPush}");

        var login = await docker.RunWithInputAsync(SecureRegistryFixture.AlicePassword, "login", "--username", SecureRegistryFixture.Alice, "--password-stdin", registry.Address);
        Assert.True(login.Succeeded, $"docker login as alice failed:{Environment.NewLine}{login}{Environment.NewLine}dockerd log (tail):{Environment.NewLine}{docker.LogTail()}");
        Assert.Contains("Login Succeeded", login.StandardOutput, StringComparison.Ordinal);

        await docker.RunSuccessfullyAsync("push", remote);
        var imageId = (await docker.RunSuccessfullyAsync("image", "inspect", "--format", "{{.Id}}", remote)).StandardOutput.Trim();
        await docker.RunSuccessfullyAsync("rmi", "-f", remote, "security-docker:v1");
        await docker.RunSuccessfullyAsync("pull", remote);
        Assert.Equal(imageId, (await docker.RunSuccessfullyAsync("image", "inspect", "--format", "{{.Id}}", remote)).StandardOutput.Trim());
        Assert.Equal(image.Config.Digest, imageId);

        await docker.RunSuccessfullyAsync("logout", registry.Address);
        await docker.RunSuccessfullyAsync("rmi", "-f", remote);
        var afterLogout = await docker.RunAsync("pull", remote);
        Assert.False(afterLogout.Succeeded, $"docker pulled team/docker after logging out:{Environment.NewLine}{afterLogout}");
    }

    [Fact]
    public async Task Docker_login_with_a_wrong_password_fails()
    {
        var docker = await registry.GetDockerAsync();

        var login = await docker.RunWithInputAsync("wrong-password", "login", "--username", SecureRegistryFixture.Alice, "--password-stdin", registry.Address);

        Assert.False(login.Succeeded, $"docker logged in with a wrong password:{Environment.NewLine}{login}");
        Assert.Contains("unauthorized", login.StandardError, StringComparison.OrdinalIgnoreCase);
    }
}
