using System.Net;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Blobs;

/// <summary>
/// Pulls by redirect: on a driver that signs download URLs (object storage), a blob GET answers
/// 307 to the signed URL of the blob's data; HEAD never redirects; a blob the repository does not
/// hold is 404 here, never a redirect.
/// </summary>
public sealed class RedirectTests(RedirectingBlobService service) : IClassFixture<RedirectingBlobService>
{
    private readonly HttpClient _client = service.CreateRegistryClient();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_GET_answers_307_to_the_signed_URL_of_the_blob_data()
    {
        var repository = TestContent.NewRepository();
        var digest = await _client.PushBlobAsync(repository, TestContent.NewBlob(300));

        using var response = await _client.GetAsync($"/v2/{repository}/blobs/{digest}", Token);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(SigningBlobService.UrlBase + RegistryPaths.BlobData(Digest.Parse(digest)) + "?signature=test", response.Headers.Location?.AbsoluteUri);
        Assert.Equal(digest, response.Header("Docker-Content-Digest"));
        Assert.Equal(TimeSpan.FromMinutes(20), service.LastExpiry);
    }

    [Fact]
    public async Task A_HEAD_is_answered_here_with_the_size()
    {
        var repository = TestContent.NewRepository();
        var digest = await _client.PushBlobAsync(repository, TestContent.NewBlob(300));

        using var response = await _client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(300, response.Content.Headers.ContentLength);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_blob_the_repository_does_not_hold_is_404_not_a_redirect()
    {
        var digest = await _client.PushBlobAsync(TestContent.NewRepository(), TestContent.NewBlob(30));

        using var response = await _client.GetAsync($"/v2/{TestContent.NewRepository()}/blobs/{digest}", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }
}

/// <summary><c>storage.redirect.disable: true</c>: the bytes come through BlobService even where the driver could sign a URL.</summary>
public sealed class RedirectDisabledTests(RedirectDisabledBlobService service) : IClassFixture<RedirectDisabledBlobService>
{
    [Fact]
    public async Task A_GET_streams_the_bytes()
    {
        using var client = service.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(300);
        var digest = await client.PushBlobAsync(repository, content);

        using var response = await client.GetAsync($"/v2/{repository}/blobs/{digest}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }
}
