using System.Net;
using System.Text.Json.Nodes;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Storage;

/// <summary>
/// Distribution 2.8's s3 driver and RegistryCloud's on one bucket and root directory, each way:
/// what Distribution pushed, RegistryCloud serves as it is, and what RegistryCloud pushes,
/// Distribution serves — images and index byte for byte through skopeo, a blob pushed in chunks,
/// tags and the catalog.
/// </summary>
[Collection(ObjectStorageCollection.Name)]
public sealed class DistributionBucketTests(DistributionBucketFixture bucket) : IClassFixture<DistributionBucketFixture>
{
    private const string RegistryCloudRepository = "cloud/app";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task What_Distribution_pushed_to_its_bucket_RegistryCloud_serves_as_it_is()
    {
        using var work = new TemporaryDirectory();
        var pushed = bucket.FromDistribution;

        await AssertServesAsync(bucket.GatewayAddress, bucket.Http, DistributionBucketFixture.DistributionRepository, pushed, work);

        var catalog = await bucket.Http.GetJsonAsync("/v2/_catalog", HttpStatusCode.OK, Token);
        Assert.Contains(DistributionBucketFixture.DistributionRepository, Repositories(catalog));
    }

    [Fact]
    public async Task What_RegistryCloud_pushes_to_the_bucket_Distribution_serves_as_it_is()
    {
        using var work = new TemporaryDirectory();
        var pushed = DistributionBucketFixture.WriteContent(work.Combine("original"), seed: "registrycloud-bucket");
        await DistributionBucketFixture.PushAsync(pushed, bucket.GatewayAddress, bucket.Http, RegistryCloudRepository);

        await using var distribution = await bucket.StartDistributionAsync();
        await AssertServesAsync(distribution.Client.BaseAddress!.Authority, distribution.Client, RegistryCloudRepository, pushed, work);

        // Both see the same repositories, and the same tags in each.
        var catalog = await distribution.Client.GetJsonAsync("/v2/_catalog", HttpStatusCode.OK, Token);
        Assert.Equal(
            Repositories(await bucket.Http.GetJsonAsync("/v2/_catalog", HttpStatusCode.OK, Token)),
            Repositories(catalog));
        Assert.Contains(RegistryCloudRepository, Repositories(catalog));
        Assert.Contains(DistributionBucketFixture.DistributionRepository, Repositories(catalog));
    }

    /// <summary>
    /// The registry at <paramref name="address"/> gives back every blob of the index and of the
    /// layered image through skopeo, the chunked blob, and exactly the two tags.
    /// </summary>
    private static async Task AssertServesAsync(string address, HttpClient http, string repository, PushedContent pushed, TemporaryDirectory work)
    {
        var remote = $"docker://{address}/{repository}";
        var index = work.Combine($"pulled-index-{Guid.NewGuid():N}");
        await Skopeo.CopyAllAsync($"{remote}:v1", $"oci:{index}:v1", Token);
        OciIndexLayout.AssertHoldsEveryBlobOf(index, pushed.IndexLayout);

        var layered = work.Combine($"pulled-layered-{Guid.NewGuid():N}");
        await Skopeo.CopyAsync($"{remote}:layered", $"oci:{layered}:layered", Token);
        OciIndexLayout.AssertHoldsEveryBlobOf(layered, pushed.Layered.LayoutDirectory);

        Assert.Equal(pushed.ChunkedBlob, await http.GetBlobAsync(repository, TestContent.DigestOf(pushed.ChunkedBlob), Token));

        var tags = await http.GetJsonAsync($"/v2/{repository}/tags/list", HttpStatusCode.OK, Token);
        Assert.Equal(repository, tags["name"]?.GetValue<string>());
        Assert.Equal(["layered", "v1"], tags["tags"]!.AsArray().Select(tag => tag!.GetValue<string>()));
    }

    private static List<string> Repositories(JsonNode catalog) =>
        [.. catalog["repositories"]!.AsArray().Select(name => name!.GetValue<string>())];
}
