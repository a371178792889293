using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Clients;

/// <summary>
/// <c>RegistryCloud:HttpsPort</c>: the AppHost's gateway also serves HTTPS with a self-signed
/// certificate it keeps in the data directory. skopeo, verifying TLS, trusts it through that
/// directory and nothing else, and refuses the registry without it.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class LocalHttpsTests(RegistryAppFixture registry)
{
    [Fact]
    public async Task Skopeo_verifying_tls_pushes_and_pulls_over_https_trusting_only_the_kept_certificate()
    {
        Assert.SkipWhen(registry.HttpsAddress is null, "the registry under test was not started by this fixture");
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var image = OciImageLayout.Write(work.Combine("layout"), "v1", seed: "local-https");
        var remote = $"docker://{registry.HttpsAddress}/clients/https/app:v1";

        var untrusted = await Skopeo.RunAsync(["--insecure-policy", "copy", $"oci:{image.LayoutDirectory}:v1", remote], cancellationToken);
        Assert.False(untrusted.Succeeded, $"skopeo trusted a self-signed certificate it was not given:{Environment.NewLine}{untrusted}");
        Assert.Contains("certificate", untrusted.StandardError, StringComparison.OrdinalIgnoreCase);

        (await Skopeo.RunAsync(
            ["--insecure-policy", "copy", "--dest-cert-dir", registry.CertificateDirectory!, $"oci:{image.LayoutDirectory}:v1", remote],
            cancellationToken)).EnsureSuccess("skopeo copy over https, trusting the kept certificate");
        (await Skopeo.RunAsync(
            ["--insecure-policy", "copy", "--src-cert-dir", registry.CertificateDirectory!, remote, $"oci:{work.Combine("copy")}:v1"],
            cancellationToken)).EnsureSuccess("skopeo copy back over https");

        var copy = OciLayoutReader.Read(work.Combine("copy"), "v1");
        Assert.Equal(image.Manifest.Digest, copy.Manifest.Digest);
        Assert.Equal(image.Layers.Select(layer => layer.Bytes), copy.Layers.Select(layer => layer.Bytes));
    }
}
