using System.Net;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Blobs;

/// <summary>Deletes are off unless configured, as in Distribution.</summary>
public sealed class BlobDeleteDisabledTests(InMemoryBlobService service) : IClassFixture<InMemoryBlobService>
{
    private readonly HttpClient _client = service.CreateRegistryClient();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deleting_a_blob_with_deletes_disabled_answers_405_UNSUPPORTED_and_keeps_it()
    {
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob();
        var digest = await _client.PushBlobAsync(repository, content);

        using var response = await _client.DeleteAsync($"/v2/{repository}/blobs/{digest}", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.Equal(content, await _client.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
    }
}
