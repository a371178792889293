using System.Net;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Grpc;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Configuration;
using RegistryCloud.Oci;
using RegistryCloud.Protos.BlobContent;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Blobs;

/// <summary>
/// The descriptor cache is a shortcut for reads, never the judge of what storage holds: a cache
/// entry left stale by another replica, or by bytes removed behind the service's back, must neither
/// make verified content vanish nor let a blob be linked that is no longer there (issue 15, defect 1).
/// </summary>
public sealed class StaleCacheTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_verified_upload_is_stored_though_the_cache_says_its_digest_exists()
    {
        await using var service = Replica();
        using var client = service.CreateRegistryClient();
        var content = TestContent.NewBlob(5000);
        var digest = await client.PushBlobAsync(TestContent.NewRepository(), content);
        File.Delete(_root.Path + RegistryPaths.BlobData(Digest.Parse(digest)));

        var repository = TestContent.NewRepository();
        var location = await client.StartUploadAsync(repository);
        using (var put = await client.PutAsync(RegistryHttp.WithDigest(location, digest), RegistryHttp.Octets(content), Token))
        {
            await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        }

        Assert.Equal(content, await client.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
    }

    [Fact]
    public async Task A_manifest_write_stores_its_bytes_though_the_cache_says_they_exist()
    {
        await using var service = Replica();
        var grpc = new BlobContentGrpcService(service.Services.GetRequiredService<BlobStore>(), service.Services.GetRequiredService<GcUses>());
        var content = ByteString.CopyFrom(TestContent.NewBlob(300));
        var written = await grpc.WriteContent(new WriteContentRequest { Content = content }, new TestServerCallContext(Token));
        File.Delete(_root.Path + RegistryPaths.BlobData(Digest.Parse(written.Digest)));

        await grpc.WriteContent(new WriteContentRequest { Content = content }, new TestServerCallContext(Token));

        var read = await grpc.ReadContent(new ReadContentRequest { Digest = written.Digest }, new TestServerCallContext(Token));
        Assert.True(read.Found);
        Assert.Equal(content, read.Content);
    }

    [Fact]
    public async Task A_mount_from_a_repository_whose_blob_another_replica_deleted_opens_an_upload_instead()
    {
        await using var first = Replica();
        await using var second = Replica();
        using var one = first.CreateRegistryClient();
        using var two = second.CreateRegistryClient();
        var source = TestContent.NewRepository();
        var digest = await one.PushBlobAsync(source, TestContent.NewBlob(700));
        using (var deleted = await two.DeleteAsync($"/v2/{source}/blobs/{digest}", Token))
        {
            await OciAssert.StatusAsync(deleted, HttpStatusCode.Accepted);
        }

        var target = TestContent.NewRepository();
        using var mount = await one.PostAsync($"/v2/{target}/blobs/uploads/?mount={digest}&from={source}", content: null, Token);

        await OciAssert.StatusAsync(mount, HttpStatusCode.Accepted);
        using var head = await one.SendAsync(HttpMethod.Head, $"/v2/{target}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    /// <summary>A replica on the shared root with deletes enabled and its own in-memory cache.</summary>
    private BlobServiceFactory Replica() => new(new Dictionary<string, string>
    {
        [RegistryStorageOptions.DriverKey] = "filesystem",
        [RegistryStorageOptions.RootDirectoryKey] = _root.Path,
        [RegistryStorageOptions.DeleteEnabledKey] = "true",
    });
}
