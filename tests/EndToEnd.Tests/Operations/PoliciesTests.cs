using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Operations;

/// <summary>
/// The <c>policies</c> section as a real client meets it, through the gateway and both replicas:
/// skopeo's push into a repository over its quota fails with the registry's DENIED message, and
/// one that would move an immutable tag fails and leaves the tag where it was. The fixture sets
/// <c>e2e-quota/*</c> to 128 KiB and makes tags <c>v*</c> of <c>e2e-immutable/*</c> immutable.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class PoliciesTests(RegistryAppFixture registry)
{
    [Fact]
    public async Task A_push_past_the_repository_quota_fails_with_the_quota_in_the_message_and_a_small_one_succeeds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var repository = $"e2e-quota/{Guid.NewGuid():N}";
        var small = OciImageLayout.Write(work.Combine("small"), "v1", seed: "quota-small");
        // Two layers of 96 KiB of incompressible bytes: each fits alone, not both.
        var large = LayeredImageLayout.Write(work.Combine("large"), "v1", seed: "quota-large", layerCount: 2, layerFileSize: 96 * 1024);

        await Skopeo.CopyAsync($"oci:{small.LayoutDirectory}:v1", $"docker://{registry.GatewayAddress}/{repository}:small", cancellationToken);
        var refused = await Skopeo.RunAsync(
            ["--insecure-policy", "copy", "--dest-tls-verify=false", $"oci:{large.LayoutDirectory}:v1", $"docker://{registry.GatewayAddress}/{repository}:large"],
            cancellationToken);

        Assert.False(refused.Succeeded, "skopeo pushed past the quota: " + refused.StandardOutput);
        Assert.True(refused.StandardError.Contains("limited to 131072 bytes by policies.quotas[0]", StringComparison.Ordinal), refused.StandardError);
        var served = await registry.Http.GetManifestAsync(repository, "small", cancellationToken);
        Assert.Equal(small.Manifest.Digest, served.Digest);
    }

    [Fact]
    public async Task A_push_that_would_move_an_immutable_tag_fails_and_the_tag_keeps_its_image()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var work = new TemporaryDirectory();
        var repository = $"e2e-immutable/{Guid.NewGuid():N}";
        var first = OciImageLayout.Write(work.Combine("first"), "v1", seed: "immutable-first");
        var second = OciImageLayout.Write(work.Combine("second"), "v1", seed: "immutable-second");
        var tag = $"docker://{registry.GatewayAddress}/{repository}:v1";

        await Skopeo.CopyAsync($"oci:{first.LayoutDirectory}:v1", tag, cancellationToken);
        var refused = await Skopeo.RunAsync(["--insecure-policy", "copy", "--dest-tls-verify=false", $"oci:{second.LayoutDirectory}:v1", tag], cancellationToken);
        await Skopeo.CopyAsync($"oci:{second.LayoutDirectory}:v1", $"docker://{registry.GatewayAddress}/{repository}:latest", cancellationToken);

        Assert.False(refused.Succeeded, "skopeo moved an immutable tag: " + refused.StandardOutput);
        Assert.True(refused.StandardError.Contains("policies.immutabletags[0]", StringComparison.Ordinal), refused.StandardError);
        Assert.Equal(first.Manifest.Digest, (await registry.Http.GetManifestAsync(repository, "v1", cancellationToken)).Digest);
        Assert.Equal(second.Manifest.Digest, (await registry.Http.GetManifestAsync(repository, "latest", cancellationToken)).Digest);
    }
}
