using System.Net;
using System.Text.Json.Nodes;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>OCI spec, pushing manifests: registries should accept manifests of at least 4 MiB.</summary>
public sealed class ManifestSizeTests(RegistryServices services) : IClassFixture<RegistryServices>
{
    private const int FourMiB = 4 * 1024 * 1024;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_manifest_of_exactly_4_MiB_is_accepted_and_served_back()
    {
        var repository = TestContent.NewRepository();
        var manifest = await PaddedManifestAsync(services, repository, FourMiB);

        using var response = await services.Manifests.PutManifestAsync(repository, "big", manifest, MediaTypes.OciImageManifest);

        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal(manifest, await services.Manifests.GetByteArrayAsync($"/v2/{repository}/manifests/big", Token));
    }

    [Fact]
    public async Task A_manifest_over_4_MiB_answers_413()
    {
        var repository = TestContent.NewRepository();
        var manifest = await PaddedManifestAsync(services, repository, FourMiB + 1);

        using var response = await services.Manifests.PutManifestAsync(repository, "too-big", manifest, MediaTypes.OciImageManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "MANIFEST_INVALID");
        using var pulled = await services.Manifests.GetAsync($"/v2/{repository}/manifests/too-big", Token);
        await OciAssert.ErrorAsync(pulled, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    /// <summary>A valid image manifest whose annotation pads it to exactly <paramref name="size"/> bytes.</summary>
    internal static async Task<byte[]> PaddedManifestAsync(RegistryServices services, string repository, int size)
    {
        var small = await services.PushImageBlobsAsync(repository);
        var json = JsonNode.Parse(small)!.AsObject();
        json["annotations"] = new JsonObject { ["padding"] = "" };
        var overhead = TestManifests.Serialize(json).Length;
        json["annotations"]!["padding"] = new string('x', size - overhead);
        var manifest = TestManifests.Serialize(json);
        Assert.Equal(size, manifest.Length);
        return manifest;
    }
}

/// <summary><c>manifests.maxsize</c>: the limit moves; 413 stays the answer above it.</summary>
public sealed class ConfiguredManifestSizeTests(LargeManifestRegistryServices services) : IClassFixture<LargeManifestRegistryServices>
{
    [Fact]
    public async Task A_manifest_under_a_raised_limit_is_accepted_and_served_back()
    {
        var repository = TestContent.NewRepository();
        var manifest = await ManifestSizeTests.PaddedManifestAsync(services, repository, LargeManifestRegistryServices.SixMiB);

        using var response = await services.Manifests.PutManifestAsync(repository, "big", manifest, MediaTypes.OciImageManifest);

        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal(manifest, await services.Manifests.GetByteArrayAsync($"/v2/{repository}/manifests/big", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_manifest_over_a_raised_limit_answers_413_naming_the_limit()
    {
        var repository = TestContent.NewRepository();
        var manifest = await ManifestSizeTests.PaddedManifestAsync(services, repository, LargeManifestRegistryServices.SixMiB + 1);

        using var response = await services.Manifests.PutManifestAsync(repository, "too-big", manifest, MediaTypes.OciImageManifest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "MANIFEST_INVALID");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("6291456", body, StringComparison.Ordinal);
    }
}
