using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Grpc;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Protos.BlobContent;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Blobs.Cache;

/// <summary>ManifestService's view through <c>StatBlobs</c>, with the Redis cache in front of storage.</summary>
public sealed class CachedStatBlobsTests : IClassFixture<RedisServer>, IAsyncDisposable
{
    private readonly CachedBlobService _service;
    private readonly HttpClient _client;

    public CachedStatBlobsTests(RedisServer redis)
    {
        _service = new CachedBlobService(redis.ConnectionString);
        _client = _service.CreateRegistryClient();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task StatBlobs_reports_a_deleted_blob_missing_and_a_blob_of_another_repository_missing()
    {
        var (repository, other) = (TestContent.NewRepository(), TestContent.NewRepository());
        var kept = await _client.PushBlobAsync(repository, TestContent.NewBlob(10));
        var deleted = await _client.PushBlobAsync(repository, TestContent.NewBlob(20));
        var elsewhere = await _client.PushBlobAsync(other, TestContent.NewBlob(30));
        var grpc = new BlobContentGrpcService(_service.Services.GetRequiredService<BlobStore>(), _service.Services.GetRequiredService<GcUses>());
        var request = new StatBlobsRequest { Repository = repository, Digests = { kept, deleted, elsewhere } };
        var before = await grpc.StatBlobs(request, new TestServerCallContext(Token));
        Assert.Equal([true, true, false], before.Blobs.Select(blob => blob.Exists));

        using (var response = await _client.DeleteAsync($"/v2/{repository}/blobs/{deleted}", Token))
        {
            await OciAssert.StatusAsync(response, HttpStatusCode.Accepted);
        }

        var after = await grpc.StatBlobs(request, new TestServerCallContext(Token));
        Assert.Equal([true, false, false], after.Blobs.Select(blob => blob.Exists));
        Assert.Equal(10, after.Blobs[0].Size);
    }
}
