using System.Net;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.Azure.Tests;

/// <summary>SAS download URLs, fetched as a client following a redirect would: plain HTTP, no SDK.</summary>
public sealed class AzureDownloadUrlTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>, IDisposable
{
    private const string Blob = "/docker/registry/v2/blobs/sha256/ab/abcd/data";

    private readonly HttpClient _http = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_download_url_serves_the_bytes_and_refuses_writes()
    {
        var driver = new AzureStorageDriver(azurite.NewOptions());
        await driver.PutContentAsync(Blob, "layer bytes"u8.ToArray(), Token);

        var url = await driver.GetDownloadUrlAsync(Blob, TimeSpan.FromMinutes(5), Token);

        Assert.NotNull(url);
        Assert.Equal("layer bytes"u8.ToArray(), await _http.GetByteArrayAsync(url, Token));
        using var range = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new(6, 10) } };
        using var partial = await _http.SendAsync(range, Token);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("bytes", await partial.Content.ReadAsStringAsync(Token));

        using var overwrite = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent("evil"u8.ToArray()) };
        overwrite.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var refused = await _http.SendAsync(overwrite, Token);
        using var deleted = await _http.DeleteAsync(url, Token);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deleted.StatusCode);
        Assert.Equal("layer bytes"u8.ToArray(), await driver.GetContentAsync(Blob, Token));
    }

    [Fact]
    public async Task A_download_url_is_refused_once_it_expires()
    {
        var driver = new AzureStorageDriver(azurite.NewOptions());
        await driver.PutContentAsync(Blob, "layer bytes"u8.ToArray(), Token);

        var url = await driver.GetDownloadUrlAsync(Blob, TimeSpan.FromSeconds(2), Token);

        Assert.NotNull(url);
        using (var fresh = await _http.GetAsync(url, Token))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        await Poll.UntilAsync(
            async () =>
            {
                using var response = await _http.GetAsync(url, Token);
                return response.StatusCode;
            },
            status => status == HttpStatusCode.Forbidden,
            status => $"an expired download URL still answered {status}");
    }

    [Fact]
    public async Task A_driver_on_a_SAS_connection_string_works_but_has_no_key_to_sign_download_urls()
    {
        var container = AzuriteServer.NewContainerName();
        var keyed = new BlobServiceClient(azurite.ConnectionString);
        await keyed.GetBlobContainerClient(container).CreateAsync(cancellationToken: Token);
        var sas = keyed.GenerateAccountSasUri(AccountSasPermissions.All, DateTimeOffset.UtcNow.AddHours(1), AccountSasResourceTypes.All);
        var driver = new AzureStorageDriver(new AzureStorageDriverOptions
        {
            Container = container,
            ConnectionString = $"BlobEndpoint={azurite.ServiceUrl};SharedAccessSignature={sas.Query.TrimStart('?')}",
        });

        // (A move on it is not tried: Azurite 3.37 fails Put Block From URL with an account-SAS source.)
        await driver.PutContentAsync(Blob, "content"u8.ToArray(), Token);

        Assert.Equal("content"u8.ToArray(), await driver.GetContentAsync(Blob, Token));
        Assert.Equal(["/docker"], await driver.ListAsync("/", Token));
        Assert.Null(await driver.GetDownloadUrlAsync(Blob, TimeSpan.FromMinutes(5), Token));
    }

    [Fact]
    public async Task A_download_url_of_an_https_account_is_read_only_https_only_and_expires_when_asked()
    {
        var time = new FixedTime(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var driver = new AzureStorageDriver(
            new AzureStorageDriverOptions { Container = "registry", AccountName = "acme", AccountKey = AzuriteServer.AccountKey, RootDirectory = "prod" },
            time);

        var url = await driver.GetDownloadUrlAsync(Blob, TimeSpan.FromMinutes(20), Token);

        Assert.NotNull(url);
        Assert.Equal("https://acme.blob.core.windows.net/registry/prod" + Blob, url.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.Equal(("r", "https", "b", "2030-01-02T03:24:05Z"), (query["sp"], query["spr"], query["sr"], query["se"]));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
