using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Metrics;

namespace RegistryCloud.BlobService.Tests.Blobs;

/// <summary>
/// BlobService's side of the blob file handoff: when the gateway offers, a GET is decided here as
/// always (status, Range, ETag, Content-Range) and answered with the file and range to send and no
/// body; HEAD, 304 and requests without the offer are what they were.
/// </summary>
public sealed class BlobFileHandoffTests(TemporaryFileSystemBlobService service) : IClassFixture<TemporaryFileSystemBlobService>
{
    private const int Size = 300_000;
    private readonly HttpClient _client = service.CreateRegistryClient();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_offered_GET_names_the_blobs_file_and_whole_range_and_sends_no_body()
    {
        using var recorder = new MeasurementRecorder(service.Services.GetRequiredService<IMeterFactory>(), ["registry.blob.bytes_handed_off", "registry.blob.bytes_sent"]);
        var (repository, digest) = await PushAsync();

        using var response = await _client.GetAsync($"/v2/{repository}/blobs/{digest}", Offer);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(BlobFileHandoff.Format(RegistryPaths.BlobData(Digest.Parse(digest)), 0, Size), response.Header(BlobFileHandoff.Header));
        Assert.Equal(digest, response.Header("Docker-Content-Digest"));
        Assert.Equal($"\"{digest}\"", response.Headers.ETag?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(Size, recorder.Sum("registry.blob.bytes_handed_off"));
        Assert.Equal(0, recorder.Sum("registry.blob.bytes_sent"));
    }

    [Fact]
    public async Task An_offered_range_is_decided_here_and_handed_over_as_that_range()
    {
        var (repository, digest) = await PushAsync();

        using var response = await _client.GetAsync($"/v2/{repository}/blobs/{digest}", request =>
        {
            Offer(request);
            request.Headers.Range = new RangeHeaderValue(1000, 1999);
        });

        await OciAssert.StatusAsync(response, HttpStatusCode.PartialContent);
        Assert.Equal($"bytes 1000-1999/{Size}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(BlobFileHandoff.Format(RegistryPaths.BlobData(Digest.Parse(digest)), 1000, 1000), response.Header(BlobFileHandoff.Header));
    }

    [Fact]
    public async Task HEAD_304_416_and_unknown_blobs_hand_nothing_over()
    {
        var (repository, digest) = await PushAsync();
        var path = $"/v2/{repository}/blobs/{digest}";

        using var head = await _client.SendAsync(HttpMethod.Head, path, Offer);
        using var notModified = await _client.GetAsync(path, request =>
        {
            Offer(request);
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{digest}\""));
        });
        using var unsatisfiable = await _client.GetAsync(path, request =>
        {
            Offer(request);
            request.Headers.Range = new RangeHeaderValue(Size + 10, Size + 20);
        });
        using var unknown = await _client.GetAsync($"/v2/{repository}/blobs/{TestContent.DigestOf([9])}", Offer);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.All([head, notModified, unsatisfiable, unknown], response => Assert.Null(response.Header(BlobFileHandoff.Header)));
    }

    [Fact]
    public async Task Without_the_offer_the_bytes_come_from_here()
    {
        var (repository, digest) = await PushAsync();

        using var response = await _client.GetAsync($"/v2/{repository}/blobs/{digest}", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Null(response.Header(BlobFileHandoff.Header));
        Assert.Equal(Size, (await response.Content.ReadAsByteArrayAsync(Token)).Length);
    }

    private static void Offer(HttpRequestMessage request) => request.Headers.Add(BlobFileHandoff.AcceptHeader, "1");

    private async Task<(string Repository, string Digest)> PushAsync()
    {
        var repository = TestContent.NewRepository("handoff");
        return (repository, await _client.PushBlobAsync(repository, TestContent.NewBlob(Size)));
    }
}

/// <summary>
/// The handoff without local files (object storage with redirects off; the in-memory driver here):
/// the stream result still decides the range, the gateway is told which object and range to read,
/// and bytes that left storage behind a cached descriptor are BLOB_UNKNOWN, not a handoff.
/// </summary>
public sealed class ObjectHandoffTests(InMemoryBlobService service) : IClassFixture<InMemoryBlobService>
{
    private const int Size = 200_000;
    private readonly HttpClient _client = service.CreateRegistryClient();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_offered_GET_and_range_name_the_object_and_the_range_and_send_no_body()
    {
        var repository = TestContent.NewRepository("handoff");
        var digest = await _client.PushBlobAsync(repository, TestContent.NewBlob(Size));
        var path = RegistryPaths.BlobData(Digest.Parse(digest));

        using var whole = await _client.GetAsync($"/v2/{repository}/blobs/{digest}", Offer);
        using var part = await _client.GetAsync($"/v2/{repository}/blobs/{digest}", request =>
        {
            Offer(request);
            request.Headers.Range = new RangeHeaderValue(100, 199);
        });
        using var head = await _client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}", Offer);

        await OciAssert.StatusAsync(whole, HttpStatusCode.OK);
        Assert.Equal(BlobFileHandoff.Format(path, 0, Size), whole.Header(BlobFileHandoff.Header));
        Assert.Empty(await whole.Content.ReadAsByteArrayAsync(Token));
        await OciAssert.StatusAsync(part, HttpStatusCode.PartialContent);
        Assert.Equal($"bytes 100-199/{Size}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(BlobFileHandoff.Format(path, 100, 100), part.Header(BlobFileHandoff.Header));
        Assert.Equal(Size, head.Content.Headers.ContentLength);
        Assert.Null(head.Header(BlobFileHandoff.Header));
    }

    [Fact]
    public async Task Bytes_gone_from_storage_are_blob_unknown_rather_than_handed_off()
    {
        var repository = TestContent.NewRepository("handoff");
        var digest = await _client.PushBlobAsync(repository, TestContent.NewBlob(Size));
        await service.Services.GetRequiredService<IStorageDriver>().DeleteAsync(RegistryPaths.BlobData(Digest.Parse(digest)), Token);

        using var response = await _client.GetAsync($"/v2/{repository}/blobs/{digest}", Offer);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        Assert.Null(response.Header(BlobFileHandoff.Header));
    }

    private static void Offer(HttpRequestMessage request) => request.Headers.Add(BlobFileHandoff.AcceptHeader, "1");
}
