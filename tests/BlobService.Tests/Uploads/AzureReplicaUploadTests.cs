using System.Net;
using System.Net.Http.Headers;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Configuration;
using RegistryCloud.Storage;
using RegistryCloud.Storage.Azure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary>
/// The upload protocol on the Azure driver against Azurite, two BlobService replicas sharing one
/// container: sessions, chunks, locks, hash states and the commit's move, as the services use them.
/// </summary>
public sealed class AzureReplicaUploadTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private readonly string _container = AzuriteServer.NewContainerName();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_upload_larger_than_a_chunk_is_patched_on_both_replicas_and_served_by_both()
    {
        await using var first = Replica();
        await using var second = Replica();
        using var one = first.CreateRegistryClient();
        using var two = second.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(300_000);
        var digest = TestContent.DigestOf(content);

        var location = await one.StartUploadAsync(repository);
        using (var chunk = await two.PatchChunkAsync(location, content[..100_000], 0))
        {
            await OciAssert.StatusAsync(chunk, HttpStatusCode.Accepted);
        }

        using (var chunk = await one.PatchChunkAsync(location, content[100_000..230_000], 100_000))
        {
            await OciAssert.StatusAsync(chunk, HttpStatusCode.Accepted);
            Assert.Equal("0-229999", chunk.Header("Range"));
        }

        using var put = await two.PutAsync(RegistryHttp.WithDigest(location, digest), RegistryHttp.Octets(content[230_000..]), Token);

        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal(content, await one.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
        Assert.Equal(content, await two.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
        Assert.Empty(await Driver().ListAsync(RegistryPaths.UploadsDirectory(repository), Token));

        // Streamed through (no local file): a length, and ranges, as a file has.
        using var whole = await two.GetAsync($"/v2/{repository}/blobs/{digest}", Token);
        Assert.Equal(content.Length, whole.Content.Headers.ContentLength);
        using var part = await one.GetAsync($"/v2/{repository}/blobs/{digest}", request => request.Headers.Range = new RangeHeaderValue(250_000, 250_099));
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(content[250_000..250_100], await part.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task A_blob_GET_redirects_to_a_SAS_URL_the_emulator_serves_and_a_HEAD_does_not()
    {
        await using var service = Replica(redirect: true);
        using var client = service.CreateRegistryClient();
        using var storage = new HttpClient();
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(100_000);
        var digest = await client.PushBlobAsync(repository, content);

        using var get = await client.GetAsync($"/v2/{repository}/blobs/{digest}", Token);
        using var head = await client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, get.StatusCode);
        var location = get.Headers.Location;
        Assert.NotNull(location);
        Assert.StartsWith(azurite.ServiceUrl.AbsoluteUri, location.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(content, await storage.GetByteArrayAsync(location, Token));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(content.Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_session_cancelled_on_one_replica_is_unknown_on_the_other()
    {
        await using var first = Replica();
        await using var second = Replica();
        using var one = first.CreateRegistryClient();
        using var two = second.CreateRegistryClient();
        var location = await one.StartUploadAsync(TestContent.NewRepository());

        using var cancelled = await two.DeleteAsync(location, Token);
        await OciAssert.StatusAsync(cancelled, HttpStatusCode.NoContent);

        using var status = await one.GetAsync(location, Token);
        await OciAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    private BlobServiceFactory Replica(bool redirect = false) => new(new Dictionary<string, string>
    {
        // These tests read the bytes through BlobService; the redirect has its own test.
        ["REGISTRY_STORAGE_REDIRECT_DISABLE"] = redirect ? "false" : "true",
        [RegistryStorageOptions.DriverKey] = "azure",
        ["REGISTRY_STORAGE_AZURE_ACCOUNTNAME"] = AzuriteServer.AccountName,
        ["REGISTRY_STORAGE_AZURE_ACCOUNTKEY"] = AzuriteServer.AccountKey,
        ["REGISTRY_STORAGE_AZURE_SERVICEURL"] = azurite.ServiceUrl.ToString(),
        ["REGISTRY_STORAGE_AZURE_CONTAINER"] = _container,
        ["REGISTRY_STORAGE_AZURE_CHUNKSIZE"] = "64KiB",
    });

    private AzureStorageDriver Driver() => new(new AzureStorageDriverOptions
    {
        Container = _container,
        AccountName = AzuriteServer.AccountName,
        AccountKey = AzuriteServer.AccountKey,
        ServiceUrl = azurite.ServiceUrl,
    });
}
