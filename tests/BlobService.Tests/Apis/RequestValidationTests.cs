using System.Net;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Apis;

/// <summary>Names and upload ids are checked before any storage access.</summary>
public sealed class RequestValidationTests(InMemoryBlobService service) : IClassFixture<InMemoryBlobService>
{
    private const string SomeDigest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private readonly HttpClient _client = service.CreateRegistryClient();

    public static TheoryData<string, string> InvalidNameRequests() => new()
    {
        { "POST", "/v2/Upper/blobs/uploads/" },
        { "POST", "/v2/a_-b/blobs/uploads/" },
        { "GET", $"/v2/-a/blobs/{SomeDigest}" },
        { "HEAD", $"/v2/a./blobs/{SomeDigest}" },
        { "DELETE", $"/v2/a___b/blobs/{SomeDigest}" },
        { "GET", "/v2/UP/blobs/uploads/3f2b6a4e-8c1d-4e5f-9a7b-0c1d2e3f4a5b" },
    };

    [Theory]
    [MemberData(nameof(InvalidNameRequests))]
    public async Task An_invalid_repository_name_answers_400_NAME_INVALID(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpMethod(method), path);

        if (method == "HEAD")
        {
            await OciAssert.StatusAsync(response, HttpStatusCode.BadRequest);
        }
        else
        {
            await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
        }
    }

    [Fact]
    public async Task A_name_longer_than_255_characters_answers_400_NAME_INVALID()
    {
        var name = new string('a', 200) + "/" + new string('b', 55);

        using var response = await _client.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    public static TheoryData<string, string> UnknownUploadRequests()
    {
        var data = new TheoryData<string, string>();
        string[] ids =
        [
            "..%2F..%2Fx",
            "not-a-uuid",
            "3F2B6A4E-8C1D-4E5F-9A7B-0C1D2E3F4A5B",
            "3f2b6a4e8c1d4e5f9a7b0c1d2e3f4a5b",
            "3f2b6a4e-8c1d-4e5f-9a7b-0c1d2e3f4a5b",
        ];
        foreach (var id in ids)
        {
            foreach (var method in new[] { "GET", "PATCH", "PUT", "DELETE" })
            {
                data.Add(method, id);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UnknownUploadRequests))]
    public async Task An_unknown_upload_id_answers_404_BLOB_UPLOAD_UNKNOWN(string method, string id)
    {
        var query = method == "PUT" ? $"?digest={SomeDigest}" : "";

        using var response = await _client.SendAsync(
            new HttpMethod(method),
            $"/v2/{TestContent.NewRepository()}/blobs/uploads/{id}{query}",
            request => request.Content = method is "PATCH" or "PUT" ? RegistryHttp.Octets([]) : null);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Theory]
    [InlineData("PUT", $"/v2/a/blobs/{SomeDigest}")]
    [InlineData("POST", $"/v2/a/blobs/{SomeDigest}")]
    [InlineData("GET", "/v2/a/blobs/uploads/")]
    [InlineData("POST", "/v2/a/blobs/uploads/3f2b6a4e-8c1d-4e5f-9a7b-0c1d2e3f4a5b")]
    public async Task A_method_the_resource_does_not_support_answers_405_UNSUPPORTED(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpMethod(method), path);

        await OciAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }

    [Theory]
    [InlineData("/v2/a/manifests/latest")]
    [InlineData("/v2/a/tags/list")]
    [InlineData("/v2/_catalog")]
    public async Task A_path_that_is_not_a_blob_path_answers_404_NOT_FOUND(string path)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, path);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
