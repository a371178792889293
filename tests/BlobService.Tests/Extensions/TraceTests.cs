using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Configuration;
using RegistryCloud.Hosting.Tracing;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Tracing;

namespace RegistryCloud.BlobService.Tests.Extensions;

/// <summary>
/// BlobService's server spans, as its tracer provider hands them to an exporter: named for the
/// registry operation with the repository (and digest or upload session) as attributes, and a
/// miss the client expects left unset.
/// </summary>
public sealed class TraceTests(TracedBlobService service) : IClassFixture<TracedBlobService>
{
    private readonly HttpClient _client = service.CreateRegistryClient();

    [Fact]
    public async Task A_blob_HEAD_is_named_blob_HEAD_with_its_repository_and_digest()
    {
        var repository = TestContent.NewRepository();
        var digest = await _client.PushBlobAsync(repository, TestContent.NewBlob());

        var (span, _) = await SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}", HttpStatusCode.OK);

        Assert.Equal("blob HEAD", span.DisplayName);
        Assert.Equal(repository, span.GetTagItem(RegistrySpans.RepositoryAttribute));
        Assert.Equal(digest, span.GetTagItem(RegistrySpans.DigestAttribute));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task An_upload_is_named_for_each_step_with_its_session()
    {
        var repository = TestContent.NewRepository();
        var (start, started) = await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/", HttpStatusCode.Accepted);
        var location = Assert.IsType<string>(started);

        var (patch, _) = await SendAsync(HttpMethod.Patch, location, HttpStatusCode.Accepted, TestContent.NewBlob(10));

        Assert.Equal("upload POST", start.DisplayName);
        Assert.Equal("upload PATCH", patch.DisplayName);
        Assert.Equal(repository, patch.GetTagItem(RegistrySpans.RepositoryAttribute));
        Assert.Equal(location[(location.LastIndexOf('/') + 1)..], patch.GetTagItem(RegistrySpans.UploadAttribute));
    }

    [Fact]
    public async Task A_blob_that_is_not_there_leaves_the_span_unset()
    {
        var (span, _) = await SendAsync(HttpMethod.Head, $"/v2/{TestContent.NewRepository()}/blobs/sha256:{new string('0', 64)}", HttpStatusCode.NotFound);

        Assert.Equal("blob HEAD", span.DisplayName);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task An_unknown_upload_leaves_the_span_unset()
    {
        var (span, _) = await SendAsync(HttpMethod.Patch, $"/v2/{TestContent.NewRepository()}/blobs/uploads/{Guid.NewGuid()}", HttpStatusCode.NotFound, TestContent.NewBlob(10));

        Assert.Equal("upload PATCH", span.DisplayName);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    /// <summary>Sends a request in a trace of its own; the service's server span, and the answer's <c>Location</c>.</summary>
    private async Task<(Activity Span, string? Location)> SendAsync(HttpMethod method, string path, HttpStatusCode expected, byte[]? body = null)
    {
        var (response, trace) = await service.Spans.SendAsync(_client, new HttpRequestMessage(method, path) { Content = body is null ? null : RegistryHttp.Octets(body) });
        using (response)
        {
            await OciAssert.StatusAsync(response, expected);
            return (await service.Spans.ServerSpanAsync(trace), response.Headers.Location?.OriginalString);
        }
    }
}

/// <summary>BlobService on the in-memory driver with a <see cref="SpanRecorder"/> among its span processors.</summary>
public sealed class TracedBlobService() : BlobServiceFactory(new Dictionary<string, string>
{
    [RegistryStorageOptions.DriverKey] = "inmemory",
})
{
    internal SpanRecorder Spans { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(Spans.AddTo);
    }
}
