using System.Net;
using System.Security.Cryptography;
using Aspire.Hosting.Testing;
using RegistryCloud.EndToEnd.Tests.Conformance;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Scaling;

/// <summary>
/// Issue 15, defect 1, through the gateway at two replicas: while a slow PATCH is writing to an
/// upload session, a PUT that would commit the bytes already on the disk is refused by whichever
/// replica serves it, and the slow PATCH's bytes never end up in a blob under another digest.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class UploadSessionRaceTests(RegistryAppFixture registry)
{
    private const string BlobService = "blobservice";

    [Fact]
    public async Task A_commit_while_a_slow_PATCH_writes_is_refused_on_every_replica_and_the_session_keeps_every_byte()
    {
        Assert.SkipWhen(registry.App is null || registry.StorageRoot is null, "the registry is external: its replicas and storage cannot be reached");
        Assert.SkipWhen(registry.Replicas < 2, $"the AppHost runs one replica ({RegistryAppFixture.ReplicasVariable}={registry.Replicas})");
        var cancellationToken = TestContext.Current.CancellationToken;
        using var replica1 = new HttpClient { BaseAddress = registry.App!.GetEndpoint(BlobService, "http") };
        using var replica2 = new HttpClient { BaseAddress = registry.App.GetEndpoint(RegistryAppFixture.ReplicaName(BlobService, 1), "http") };
        var repository = $"scale/race/{Guid.NewGuid():N}";
        var held = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        var rest = RandomNumberGenerator.GetBytes(100_000);

        string location;
        using (var started = await registry.Http.SendAsync(HttpMethod.Post, $"v2/{repository}/blobs/uploads/").ExpectAsync(HttpStatusCode.Accepted))
        {
            location = ConformanceRequests.Location(started);
        }

        var body = HeldBody.Octets(held, rest);
        var slow = registry.Http.PatchAsync(location.TrimStart('/'), body, cancellationToken);
        var data = new FileInfo(registry.StorageRoot + "/docker/registry/v2/repositories/" + repository + "/_uploads/" + location[(location.LastIndexOf('/') + 1)..] + "/data");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!data.Exists || data.Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the slow PATCH wrote nothing in 60 s");
            await Task.Delay(20, cancellationToken);
            data.Refresh();
        }

        // A commit of exactly what is on the disk now would verify; every replica refuses it.
        var prefixDigest = OciDigest(held[..(int)data.Length]);
        foreach (var client in new[] { registry.Http, replica1, replica2 })
        {
            using var put = await client.PutAsync($"{location.TrimStart('/')}?digest={prefixDigest}", content: null, cancellationToken);
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, put.StatusCode);
            Assert.NotNull(ConformanceRequests.Header(put, "Range"));
        }

        body.Release();
        using (var patched = await slow)
        {
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        }

        byte[] whole = [.. held, .. rest];
        var digest = OciDigest(whole);
        using var created = await registry.Http.SendAsync(HttpMethod.Put, $"{location.TrimStart('/')}?digest={digest}").ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(whole, await registry.Http.GetByteArrayAsync($"v2/{repository}/blobs/{digest}", cancellationToken));
        using var head = await registry.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{prefixDigest}"), cancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.False(File.Exists($"{registry.StorageRoot}/docker/registry/v2/blobs/sha256/{prefixDigest[7..9]}/{prefixDigest[7..]}/data"), "the prefix was committed as a blob");
    }

    private static string OciDigest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
