using System.Net;
using System.Text.Json.Nodes;
using Aspire.Hosting.Testing;
using RegistryCloud.EndToEnd.Tests.Conformance;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;
using RegistryCloud.Tests.AppHostTesting;

namespace RegistryCloud.EndToEnd.Tests.Scaling;

/// <summary>
/// Issues #3 and #8: the services run as several replicas behind the gateway. An upload session
/// started on one BlobService replica carries on on another (its state lives in storage), and
/// the gateway spreads a real client's traffic over every replica, as each replica's own request
/// log shows.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ReplicaScaleOutTests(RegistryAppFixture registry)
{
    private const string BlobService = "blobservice";
    private const int LayerCount = 4;
    private static readonly TimeSpan LogSettleTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_chunked_upload_hopping_between_BlobService_replicas_reads_back_byte_identical_through_the_gateway()
    {
        var app = RequireReplicatedApp();
        var cancellationToken = TestContext.Current.CancellationToken;
        var repository = $"scale/hop/{Guid.NewGuid():N}";
        var first = app.GetEndpoint(BlobService, "http");
        var second = app.GetEndpoint(RegistryAppFixture.ReplicaName(BlobService, 1), "http");
        Assert.NotEqual(first, second);
        using var replica1 = new HttpClient { BaseAddress = first };
        using var replica2 = new HttpClient { BaseAddress = second };
        await using var requests = ReplicaRequestLog.Watch(app, [BlobService, RegistryAppFixture.ReplicaName(BlobService, 1)]);

        var blob = new byte[1536 * 1024];
        new Random(3).NextBytes(blob);
        var digest = OciBlob.DigestOf(blob);
        int[] cuts = [0, 700 * 1024, 1000 * 1024, blob.Length];

        // POST on replica 1, PATCH on replica 2, PATCH on replica 1, the closing PUT (with the last bytes) on replica 2.
        string location;
        using (var started = await replica1.SendAsync(HttpMethod.Post, $"v2/{repository}/blobs/uploads/").ExpectAsync(HttpStatusCode.Accepted))
        {
            location = ConformanceRequests.Location(started);
        }

        using (var patched = await replica2.SendAsync(HttpMethod.Patch, location, Chunk(blob, cuts[0], cuts[1])).ExpectAsync(HttpStatusCode.Accepted))
        {
            Assert.Equal($"0-{cuts[1] - 1}", ConformanceRequests.Header(patched, "Range"));
            location = ConformanceRequests.Location(patched);
        }

        using (var patched = await replica1.SendAsync(HttpMethod.Patch, location, Chunk(blob, cuts[1], cuts[2])).ExpectAsync(HttpStatusCode.Accepted))
        {
            Assert.Equal($"0-{cuts[2] - 1}", ConformanceRequests.Header(patched, "Range"));
            location = ConformanceRequests.Location(patched);
        }

        var last = RegistryHttp.Octets(blob[cuts[2]..cuts[3]]);
        using (var committed = await replica2.SendAsync(HttpMethod.Put, RegistryHttp.WithDigest(location, digest), last).ExpectAsync(HttpStatusCode.Created))
        {
            Assert.Equal(digest, ConformanceRequests.Header(committed, "Docker-Content-Digest"));
        }

        var served = await registry.Http.GetBlobAsync(repository, digest, cancellationToken);
        Assert.Equal(blob.Length, served.Length);
        Assert.True(blob.AsSpan().SequenceEqual(served), "the blob read back through the gateway differs from the bytes uploaded");
        Assert.Equal(digest, OciBlob.DigestOf(served));

        // Each replica's own log shows the two upload requests it was sent: they really are two processes.
        var counts = await requests.SettleAsync(
            $"/v2/{repository}/blobs/uploads/", c => c.Values.All(n => n >= 2), LogSettleTimeout, cancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"upload requests per replica: {Describe(counts)}");
        Assert.All(counts, pair => Assert.True(pair.Value == 2, $"expected 2 upload requests on each replica, got {Describe(counts)}"));
    }

    [Fact]
    public async Task Docker_push_and_pull_of_a_multi_layer_image_through_the_gateway_is_served_by_every_BlobService_replica()
    {
        var app = RequireReplicatedApp();
        var cancellationToken = TestContext.Current.CancellationToken;
        var docker = await registry.GetDockerAsync();
        using var work = new TemporaryDirectory();
        var repository = $"scale/docker/{Guid.NewGuid():N}";
        var replicas = Enumerable.Range(0, registry.Replicas).Select(i => RegistryAppFixture.ReplicaName(BlobService, i)).ToList();
        await using var requests = ReplicaRequestLog.Watch(app, replicas);

        var image = LayeredImageLayout.Write(work.Combine("layout"), "layered", seed: repository, LayerCount, layerFileSize: 256 * 1024);
        var archive = work.Combine("layered.tar");
        await Skopeo.CopyAsync($"oci:{image.LayoutDirectory}:layered", $"docker-archive:{archive}:layered:latest", cancellationToken);
        await docker.RunSuccessfullyAsync("load", "-i", archive);
        var remote = $"{registry.GatewayAddress}/{repository}:v1";
        await docker.RunSuccessfullyAsync("tag", "layered:latest", remote);
        var grpcBefore = requests.Count(GrpcPath);

        var push = await docker.RunSuccessfullyAsync("push", remote);
        var pushed = await registry.Http.GetManifestAsync(repository, "v1", cancellationToken);
        Assert.Contains($"digest: {pushed.Digest}", push.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(LayerCount, pushed.LayerDigests.Count);

        await docker.RunSuccessfullyAsync("rmi", "-f", remote, "layered:latest");
        var pull = await docker.RunSuccessfullyAsync("pull", remote);
        Assert.Contains($"Digest: {pushed.Digest}", pull.StandardOutput, StringComparison.Ordinal);
        var imageId = (await docker.RunSuccessfullyAsync("image", "inspect", "--format", "{{.Id}}", remote)).StandardOutput.Trim();
        Assert.Equal(image.Config.Digest, imageId);
        var layers = JsonNode.Parse((await docker.RunSuccessfullyAsync("image", "inspect", "--format", "{{json .RootFS.Layers}}", remote)).StandardOutput)!.AsArray();
        Assert.Equal(image.DiffIds, layers.Select(layer => layer!.GetValue<string>()));
        await docker.RunSuccessfullyAsync("rmi", "-f", remote);

        // Every blob went up once (its closing PUT) and came down once (its GET), config included:
        // at least that many blob requests, and every replica served some of them.
        var minimum = 2 * (LayerCount + 1);
        var counts = await requests.SettleAsync(
            $"/v2/{repository}/blobs/", c => c.Values.All(n => n > 0) && c.Values.Sum() >= minimum, LogSettleTimeout, cancellationToken);
        var grpc = requests.Count(GrpcPath).ToDictionary(pair => pair.Key, pair => pair.Value - grpcBefore[pair.Key]);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"blob API requests per replica: {Describe(counts)}; gRPC calls from ManifestService per replica: {Describe(grpc)}");
        Assert.True(counts.Values.Sum() >= minimum, $"expected at least {minimum} blob requests in all, got {Describe(counts)}");
        Assert.All(counts, pair => Assert.True(pair.Value > 0, $"{pair.Key} served none of the image's blob requests: {Describe(counts)}"));
    }

    [Fact]
    public async Task A_blob_deleted_through_one_BlobService_replica_is_unknown_to_the_other()
    {
        var app = RequireReplicatedApp();
        var repository = $"scale/delete/{Guid.NewGuid():N}";
        using var replica1 = new HttpClient { BaseAddress = app.GetEndpoint(BlobService, "http") };
        using var replica2 = new HttpClient { BaseAddress = app.GetEndpoint(RegistryAppFixture.ReplicaName(BlobService, 1), "http") };
        var blob = new byte[64 * 1024];
        new Random(5).NextBytes(blob);
        var path = $"v2/{repository}/blobs/{OciBlob.DigestOf(blob)}";

        // Both replicas have seen the blob (and so may hold it in a blob descriptor cache) before it goes.
        await replica1.PushBlobWithPutAsync(repository, blob);
        (await replica1.SendAsync(HttpMethod.Head, path).ExpectAsync(HttpStatusCode.OK)).Dispose();
        (await replica2.SendAsync(HttpMethod.Head, path).ExpectAsync(HttpStatusCode.OK)).Dispose();

        (await replica1.SendAsync(HttpMethod.Delete, path).ExpectAsync(HttpStatusCode.Accepted)).Dispose();
        (await replica2.SendAsync(HttpMethod.Head, path).ExpectAsync(HttpStatusCode.NotFound)).Dispose();
        await replica2.SendAsync(HttpMethod.Get, path).ExpectErrorAsync(HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    /// <summary>The gRPC service ManifestService calls BlobService through.</summary>
    private const string GrpcPath = "/registrycloud.blobcontent.v1.BlobContent/";

    private Aspire.Hosting.DistributedApplication RequireReplicatedApp()
    {
        Assert.SkipWhen(registry.App is null, $"the registry is external ({RegistryAppFixture.RegistryOverrideVariable}): its replicas cannot be addressed");
        Assert.SkipWhen(registry.Replicas < 2, $"the AppHost runs one replica ({RegistryAppFixture.ReplicasVariable}={registry.Replicas})");
        return registry.App!;
    }

    private static ByteArrayContent Chunk(byte[] blob, int start, int end)
    {
        var content = RegistryHttp.Octets(blob[start..end]);
        content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{end - 1}");
        return content;
    }

    private static string Describe(IReadOnlyDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));
}
