using System.Net;
using RegistryCloud.EndToEnd.Tests.Conformance;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Operations;

/// <summary>
/// <c>storage.maintenance.readonly.enabled</c> switched in the running registry's config.yml,
/// without a restart: pushes and deletes answer 405 UNSUPPORTED, pulls go on, nothing is
/// stored; switched back, pushes work again.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ReadOnlyModeTests(RegistryAppFixture registry)
{
    private static readonly TimeSpan SwitchTimeout = TimeSpan.FromSeconds(20);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private HttpClient Http => registry.Http;

    [Fact]
    public async Task Read_only_mode_switched_in_config_yml_refuses_pushes_and_keeps_pulls_until_switched_back()
    {
        Assert.SkipWhen(registry.ConfigurationPath is null, "the registry under test was not started by this fixture");
        var repository = ConformanceRequests.NewRepository("readonly");
        var image = ConformanceRequests.Image("readonly-before");
        var digest = await Http.PushImageAsync(repository, image, "v1");
        var refused = "refused while read-only"u8.ToArray();

        try
        {
            Rewrite(readOnly: true);
            await WaitForAsync(HttpStatusCode.MethodNotAllowed, repository, "the registry did not become read-only");

            await Http.SendAsync(HttpMethod.Post, $"v2/{repository}/blobs/uploads/?digest={OciBlob.DigestOf(refused)}", RegistryHttp.Octets(refused))
                .ExpectErrorAsync(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
            await Http.SendAsync(HttpMethod.Delete, $"v2/{repository}/manifests/{digest}").ExpectErrorAsync(HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
            Assert.Equal(image.Manifest, await Http.GetByteArrayAsync($"v2/{repository}/manifests/v1", Token));
            Assert.Equal(image.Layer, await Http.GetBlobAsync(repository, image.LayerDigest, Token));
        }
        finally
        {
            Rewrite(readOnly: false);
        }

        await WaitForAsync(HttpStatusCode.Accepted, repository, "the registry did not take pushes again");
        (await Http.SendAsync(HttpMethod.Head, $"v2/{repository}/blobs/{OciBlob.DigestOf(refused)}").ExpectAsync(HttpStatusCode.NotFound)).Dispose();
        (await Http.SendAsync(HttpMethod.Head, $"v2/{repository}/manifests/{digest}").ExpectAsync(HttpStatusCode.OK)).Dispose();
    }

    /// <summary>Replaces the file in one rename, so the gateway never reads half of it.</summary>
    private void Rewrite(bool readOnly)
    {
        var path = registry.ConfigurationPath!;
        var next = path + ".next";
        File.WriteAllText(next, RegistryAppFixture.Configuration(readOnly));
        File.Move(next, path, overwrite: true);
    }

    /// <summary>Starts uploads until one answers <paramref name="status"/> (the gateway re-reads the file about once a second).</summary>
    private async Task WaitForAsync(HttpStatusCode status, string repository, string failure)
    {
        var deadline = DateTime.UtcNow + SwitchTimeout;
        while (true)
        {
            using var response = await Http.SendAsync(HttpMethod.Post, $"v2/{repository}/blobs/uploads/");
            if (response.StatusCode == status)
            {
                if (status == HttpStatusCode.Accepted)
                {
                    (await Http.SendAsync(HttpMethod.Delete, ConformanceRequests.Location(response))).Dispose();
                }

                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{failure} within {SwitchTimeout}: POST answered {(int)response.StatusCode}");
            await Task.Delay(250, Token);
        }
    }
}
