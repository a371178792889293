using System.Net;
using System.Net.Http.Headers;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Proxy;

/// <summary>
/// BlobService and ManifestService with <c>proxies</c>: <c>hub/*</c> mirrors the given upstream
/// with Docker Hub's <c>library/</c> rule and optional credentials; other repositories are ordinary.
/// </summary>
internal sealed class ProxiedRegistryServices(
    string remote, string? username = null, string? password = null, string? redis = null, IReadOnlyDictionary<string, string>? both = null)
    : RegistryServices(deleteEnabled: true, Settings(remote, username, password, redis, both), Settings(remote, username, password, redis: null, both))
{
    private static Dictionary<string, string> Settings(string remote, string? username, string? password, string? redis, IReadOnlyDictionary<string, string>? both)
    {
        var settings = new Dictionary<string, string>
        {
            ["REGISTRY_PROXIES_0_PREFIX"] = "hub",
            ["REGISTRY_PROXIES_0_REMOTEURL"] = remote,
            ["REGISTRY_PROXIES_0_LIBRARY"] = "true",
        };
        if (username is not null && password is not null)
        {
            settings["REGISTRY_PROXIES_0_USERNAME"] = username;
            settings["REGISTRY_PROXIES_0_PASSWORD"] = password;
        }

        if (redis is not null)
        {
            settings["ConnectionStrings:redis"] = redis;
        }

        foreach (var (key, value) in both ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }
}

/// <summary>An image pushed to an upstream Distribution: its manifest, config and layer.</summary>
internal sealed record UpstreamImage(byte[] Manifest, byte[] Config, byte[] Layer)
{
    public string Digest => Oci.Digest.Compute(Manifest).ToString();

    public static async Task<UpstreamImage> PushAsync(DistributionRegistry upstream, string repository, string tag)
    {
        var config = TestManifests.NewConfig();
        var layer = TestContent.NewBlob(50_000);
        await upstream.PushBlobAsync(repository, config);
        await upstream.PushBlobAsync(repository, layer);
        var manifest = TestManifests.Image(
            MediaTypes.OciImageManifest, TestDescriptor.Of(MediaTypes.OciImageConfig, config), TestDescriptor.Of("application/vnd.oci.image.layer.v1.tar+gzip", layer));
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciImageManifest);
        using var put = await upstream.Client.PutAsync($"/v2/{repository}/manifests/{tag}", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return new UpstreamImage(manifest, config, layer);
    }
}
