using System.Net;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary>OCI spec, mounting a blob from another repository: <c>POST ?mount=&lt;digest&gt;&amp;from=&lt;name&gt;</c>.</summary>
public sealed class MountTests(InMemoryBlobService service) : IClassFixture<InMemoryBlobService>
{
    private readonly HttpClient _client = service.CreateRegistryClient();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mounting_from_a_repository_that_holds_the_blob_answers_201_and_links_it()
    {
        var source = TestContent.NewRepository();
        var target = TestContent.NewRepository();
        var content = TestContent.NewBlob(120);
        var digest = await _client.PushBlobAsync(source, content);

        using var mounted = await _client.PostAsync($"/v2/{target}/blobs/uploads/?mount={digest}&from={source}", content: null, Token);

        await OciAssert.StatusAsync(mounted, HttpStatusCode.Created);
        Assert.Equal($"/v2/{target}/blobs/{digest}", mounted.Headers.Location?.OriginalString);
        Assert.Equal(digest, mounted.Header("Docker-Content-Digest"));
        Assert.Equal(content, await _client.GetByteArrayAsync($"/v2/{target}/blobs/{digest}", Token));
    }

    [Fact]
    public async Task Mounting_from_a_repository_lacking_the_blob_opens_an_upload_session_instead()
    {
        var holder = TestContent.NewRepository();
        var lacking = TestContent.NewRepository();
        var target = TestContent.NewRepository();
        var content = TestContent.NewBlob(80);
        var digest = await _client.PushBlobAsync(holder, content);

        using var response = await _client.PostAsync($"/v2/{target}/blobs/uploads/?mount={digest}&from={lacking}", content: null, Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.Accepted);
        var location = response.Headers.Location?.OriginalString;
        Assert.NotNull(location);
        Assert.Equal($"/v2/{target}/blobs/uploads/{response.Header("Docker-Upload-UUID")}", location);
        using var notMounted = await _client.GetAsync($"/v2/{target}/blobs/{digest}", Token);
        await OciAssert.ErrorAsync(notMounted, HttpStatusCode.NotFound, "BLOB_UNKNOWN");

        using var put = await _client.PutAsync(RegistryHttp.WithDigest(location, digest), RegistryHttp.Octets(content), Token);
        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal(content, await _client.GetByteArrayAsync($"/v2/{target}/blobs/{digest}", Token));
    }

    [Fact]
    public async Task Mounting_a_blob_no_repository_holds_opens_an_upload_session()
    {
        var unknown = TestContent.DigestOf(TestContent.NewBlob());

        using var response = await _client.PostAsync(
            $"/v2/{TestContent.NewRepository()}/blobs/uploads/?mount={unknown}&from={TestContent.NewRepository()}", content: null, Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.Accepted);
        Assert.NotNull(response.Header("Docker-Upload-UUID"));
    }

    [Fact]
    public async Task Mounting_without_from_never_links_a_blob_of_another_repository()
    {
        var owner = TestContent.NewRepository();
        var intruder = TestContent.NewRepository();
        var content = TestContent.NewBlob(90);
        var digest = await _client.PushBlobAsync(owner, content);

        using var response = await _client.PostAsync($"/v2/{intruder}/blobs/uploads/?mount={digest}", content: null, Token);

        // An ordinary upload session, as for a digest the registry never saw: nothing says it exists elsewhere.
        await OciAssert.StatusAsync(response, HttpStatusCode.Accepted);
        Assert.NotNull(response.Header("Docker-Upload-UUID"));
        using var unknown = await _client.PostAsync($"/v2/{intruder}/blobs/uploads/?mount={TestContent.DigestOf(TestContent.NewBlob())}", content: null, Token);
        await OciAssert.StatusAsync(unknown, HttpStatusCode.Accepted);
        Assert.Equal(
            response.Headers.Select(header => header.Key).Order(),
            unknown.Headers.Select(header => header.Key).Order());
        using var pulled = await _client.GetAsync($"/v2/{intruder}/blobs/{digest}", Token);
        await OciAssert.ErrorAsync(pulled, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Mounting_without_from_a_blob_the_repository_already_holds_answers_201()
    {
        var repository = TestContent.NewRepository();
        var digest = await _client.PushBlobAsync(repository, TestContent.NewBlob(60));

        using var response = await _client.PostAsync($"/v2/{repository}/blobs/uploads/?mount={digest}", content: null, Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Mounting_with_a_malformed_digest_answers_400_DIGEST_INVALID()
    {
        using var response = await _client.PostAsync(
            $"/v2/{TestContent.NewRepository()}/blobs/uploads/?mount=sha256:abc&from={TestContent.NewRepository()}", content: null, Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Mounting_from_an_invalid_repository_name_answers_400_NAME_INVALID()
    {
        var digest = await _client.PushBlobAsync(TestContent.NewRepository(), TestContent.NewBlob());

        using var response = await _client.PostAsync(
            $"/v2/{TestContent.NewRepository()}/blobs/uploads/?mount={digest}&from=Not_Valid", content: null, Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }
}
