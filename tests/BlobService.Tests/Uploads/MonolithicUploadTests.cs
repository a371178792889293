using System.Net;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary>OCI spec, pushing blobs: monolithic POST, POST then PUT, and digest verification.</summary>
public sealed class MonolithicUploadTests(InMemoryBlobService service) : IClassFixture<InMemoryBlobService>
{
    private readonly HttpClient _client = service.CreateRegistryClient();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Monolithic_POST_with_a_digest_answers_201_with_location_and_digest()
    {
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(1000);
        var digest = TestContent.DigestOf(content);

        using var response = await _client.PostBlobAsync(repository, content);

        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", response.Headers.Location?.OriginalString);
        Assert.Equal(digest, response.Header("Docker-Content-Digest"));
        Assert.Equal(content, await _client.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
    }

    [Fact]
    public async Task POST_then_PUT_with_the_body_creates_the_blob()
    {
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(300);
        var digest = TestContent.DigestOf(content);

        using var started = await _client.PostAsync($"/v2/{repository}/blobs/uploads/", content: null, Token);
        await OciAssert.StatusAsync(started, HttpStatusCode.Accepted);
        var location = started.Headers.Location?.OriginalString;
        Assert.NotNull(location);
        Assert.StartsWith($"/v2/{repository}/blobs/uploads/", location);
        Assert.Equal(location, $"/v2/{repository}/blobs/uploads/{started.Header("Docker-Upload-UUID")}");
        Assert.Equal("0-0", started.Header("Range"));

        using var put = await _client.PutAsync(RegistryHttp.WithDigest(location, digest), RegistryHttp.Octets(content), Token);

        await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal($"/v2/{repository}/blobs/{digest}", put.Headers.Location?.OriginalString);
        Assert.Equal(digest, put.Header("Docker-Content-Digest"));
        Assert.Equal(content, await _client.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
    }

    [Fact]
    public async Task A_zero_byte_blob_is_pushed_and_pulled()
    {
        var repository = TestContent.NewRepository();
        const string EmptyDigest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

        using var pushed = await _client.PostBlobAsync(repository, [], EmptyDigest);
        await OciAssert.StatusAsync(pushed, HttpStatusCode.Created);

        using var pulled = await _client.GetAsync($"/v2/{repository}/blobs/{EmptyDigest}", Token);
        await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
        Assert.Equal(0, pulled.Content.Headers.ContentLength);
        Assert.Equal(EmptyDigest, pulled.Header("Docker-Content-Digest"));
        Assert.Empty(await pulled.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task A_sha512_digest_is_verified_and_the_blob_served_under_it()
    {
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(500);
        var sha512 = TestContent.DigestOf(content, Digest.Sha512);

        using var pushed = await _client.PostBlobAsync(repository, content, sha512);
        await OciAssert.StatusAsync(pushed, HttpStatusCode.Created);
        Assert.Equal(sha512, pushed.Header("Docker-Content-Digest"));

        using var pulled = await _client.GetAsync($"/v2/{repository}/blobs/{sha512}", Token);
        await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
        Assert.Equal(sha512, pulled.Header("Docker-Content-Digest"));
        Assert.Equal(content, await pulled.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task A_sha512_digest_that_does_not_match_answers_400_DIGEST_INVALID()
    {
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(500);
        var otherSha512 = TestContent.DigestOf(TestContent.NewBlob(500), Digest.Sha512);

        using var response = await _client.PostBlobAsync(repository, content, otherSha512);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Wrong_digest_at_PUT_answers_400_DIGEST_INVALID_and_stores_nothing()
    {
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(200);
        var claimed = TestContent.DigestOf(TestContent.NewBlob(200));
        var location = await _client.StartUploadAsync(repository);

        using var put = await _client.PutAsync(RegistryHttp.WithDigest(location, claimed), RegistryHttp.Octets(content), Token);

        await OciAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var byClaimed = await _client.GetAsync($"/v2/{repository}/blobs/{claimed}", Token);
        await OciAssert.ErrorAsync(byClaimed, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        using var byActual = await _client.GetAsync($"/v2/{repository}/blobs/{TestContent.DigestOf(content)}", Token);
        await OciAssert.ErrorAsync(byActual, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        using var session = await _client.GetAsync(location, Token);
        await OciAssert.ErrorAsync(session, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Wrong_digest_in_a_monolithic_POST_answers_400_DIGEST_INVALID_and_stores_nothing()
    {
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(200);
        var claimed = TestContent.DigestOf(TestContent.NewBlob(200));

        using var response = await _client.PostBlobAsync(repository, content, claimed);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var pulled = await _client.GetAsync($"/v2/{repository}/blobs/{claimed}", Token);
        await OciAssert.ErrorAsync(pulled, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("SHA256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("nonsense")]
    public async Task A_malformed_digest_in_a_monolithic_POST_answers_400_DIGEST_INVALID(string digest)
    {
        using var response = await _client.PostBlobAsync(TestContent.NewRepository(), TestContent.NewBlob(10), digest);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Theory]
    [InlineData("?digest=sha256:abc")]
    [InlineData("?digest=")]
    [InlineData("")]
    public async Task A_PUT_with_a_malformed_or_missing_digest_answers_400_DIGEST_INVALID(string query)
    {
        var location = await _client.StartUploadAsync(TestContent.NewRepository());

        using var response = await _client.PutAsync(location + query, RegistryHttp.Octets(TestContent.NewBlob(10)), Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Pushing_a_blob_the_registry_already_holds_answers_201_again()
    {
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(100);

        await _client.PushBlobAsync(repository, content);
        using var again = await _client.PostBlobAsync(repository, content);

        await OciAssert.StatusAsync(again, HttpStatusCode.Created);
        Assert.Equal(content, await _client.GetByteArrayAsync($"/v2/{repository}/blobs/{TestContent.DigestOf(content)}", Token));
    }
}
