using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Hosting.Tracing;
using RegistryCloud.Tests.Shared.Tracing;

namespace RegistryCloud.Gateway.Tests.Extensions;

/// <summary>
/// The gateway's spans, as its tracer provider hands them to an exporter: the server span of each
/// request and the client span of its forwarded request are named for the registry operation with
/// the repository as an attribute, and the misses a client expects (404 on a blob or manifest HEAD
/// or GET, 416 on an upload) are not errors on either, while a backend's 500 is.
/// </summary>
public sealed class TraceTests(TracedGateway gateway) : IClassFixture<TracedGateway>
{
    private const string Repository = "team/app";
    private static readonly string Present = "sha256:" + new string('a', 64);

    [Theory]
    [InlineData("HEAD", "/v2/team/app/blobs/sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "blob HEAD")]
    [InlineData("GET", "/v2/team/app/blobs/sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "blob GET")]
    [InlineData("POST", "/v2/team/app/blobs/uploads/", "upload POST")]
    [InlineData("PATCH", "/v2/team/app/blobs/uploads/0f6d1c2e", "upload PATCH")]
    [InlineData("PUT", "/v2/team/app/manifests/v1", "manifest PUT")]
    [InlineData("GET", "/v2/team/app/tags/list", "tags list")]
    [InlineData("GET", "/v2/team/app/referrers/sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "referrers")]
    public async Task A_forwarded_request_and_its_forwarding_are_named_for_the_operation_with_the_repository_as_an_attribute(string method, string path, string name)
    {
        var (server, client) = await SendAsync(method, path, HttpStatusCode.OK);

        Assert.Equal(name, server.DisplayName);
        Assert.Equal(name, client.DisplayName);
        Assert.Equal(Repository, server.GetTagItem(RegistrySpans.RepositoryAttribute));
        Assert.Equal(Repository, client.GetTagItem(RegistrySpans.RepositoryAttribute));
        Assert.DoesNotContain(Repository, server.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blob_span_carries_its_digest_and_a_manifest_span_its_reference()
    {
        var (blob, _) = await SendAsync("HEAD", $"/v2/{Repository}/blobs/{Present}", HttpStatusCode.OK);
        var (manifest, _) = await SendAsync("GET", $"/v2/{Repository}/manifests/v1", HttpStatusCode.OK);

        Assert.Equal(Present, blob.GetTagItem(RegistrySpans.DigestAttribute));
        Assert.Equal("v1", manifest.GetTagItem(RegistrySpans.ReferenceAttribute));
    }

    [Fact]
    public async Task The_catalog_is_named_catalog_without_a_repository()
    {
        var (server, client) = await SendAsync("GET", "/v2/_catalog", HttpStatusCode.OK);

        Assert.Equal("catalog", server.DisplayName);
        Assert.Equal("catalog", client.DisplayName);
        Assert.Null(server.GetTagItem(RegistrySpans.RepositoryAttribute));
    }

    [Theory]
    [InlineData("HEAD", "/v2/team/app/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000", HttpStatusCode.NotFound)]
    [InlineData("GET", "/v2/team/app/manifests/missing", HttpStatusCode.NotFound)]
    [InlineData("HEAD", "/v2/team/app/manifests/missing", HttpStatusCode.NotFound)]
    [InlineData("PATCH", "/v2/team/app/blobs/uploads/gone", HttpStatusCode.NotFound)]
    [InlineData("PATCH", "/v2/team/app/blobs/uploads/out-of-order", HttpStatusCode.RequestedRangeNotSatisfiable)]
    public async Task A_miss_the_client_expects_is_not_an_error_on_either_span(string method, string path, HttpStatusCode status)
    {
        var (server, client) = await SendAsync(method, path, status);

        Assert.Equal(ActivityStatusCode.Unset, server.Status);
        Assert.Equal(ActivityStatusCode.Unset, client.Status);
        Assert.Null(client.GetTagItem("error.type"));
    }

    [Theory]
    [InlineData("GET", "/v2/team/app/blobs/sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")]
    [InlineData("PUT", "/v2/team/app/manifests/broken")]
    public async Task A_backends_500_is_an_error_on_both_spans(string method, string path)
    {
        var (server, client) = await SendAsync(method, path, HttpStatusCode.InternalServerError);

        Assert.Equal(ActivityStatusCode.Error, server.Status);
        Assert.Equal(ActivityStatusCode.Error, client.Status);
    }

    [Fact]
    public async Task The_gateways_own_answer_to_the_base_path_is_named_base()
    {
        var (response, trace) = await gateway.SendAsync("GET", "/v2/");
        response.Dispose();

        Assert.Equal("base", (await gateway.Spans.ServerSpanAsync(trace)).DisplayName);
    }

    /// <summary>Sends a request in a trace of its own; its gateway server span and the client span of its forwarding.</summary>
    private async Task<(Activity Server, Activity Client)> SendAsync(string method, string path, HttpStatusCode expected)
    {
        var (response, trace) = await gateway.SendAsync(method, path);
        using (response)
        {
            Assert.Equal(expected, response.StatusCode);
        }

        // The gateway's server span, the client span of its forwarding, and the backend's server span.
        var spans = await gateway.Spans.WaitForAsync(trace, ActivityKind.Server, count: 2);
        var client = Assert.Single(spans, span => span.Kind == ActivityKind.Client);
        var server = Assert.Single(spans, span => span.Kind == ActivityKind.Server && span.ParentSpanId != client.SpanId);
        return (server, client);
    }
}

/// <summary>
/// The gateway in front of two backends that answer as BlobService and ManifestService would for
/// a few paths (404 for a missing blob or manifest or upload, 416 for an upload chunk out of order,
/// 500 for a broken one), with a <see cref="SpanRecorder"/> among its span processors.
/// </summary>
public sealed class TracedGateway : IAsyncLifetime
{
    /// <summary>The gateway first, then its backends: disposed in this order.</summary>
    private readonly List<IAsyncDisposable> _started = [];
    private HttpClient? _client;

    internal SpanRecorder Spans { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var blobs = await EchoBackend.StartAsync("blobs", Answer);
        var manifests = await EchoBackend.StartAsync("manifests", Answer);
        var factory = new GatewayFactory(GatewaySettings.ProxyTo(blobs.Address, manifests.Address), configureServices: Spans.AddTo);
        _started.AddRange([factory, blobs, manifests]);
        _client = factory.CreateRegistryClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        foreach (var started in _started)
        {
            await started.DisposeAsync();
        }
    }

    /// <summary>Sends a request, with a small body for a PUT, PATCH or POST, in a trace of its own.</summary>
    internal Task<(HttpResponseMessage Response, ActivityTraceId Trace)> SendAsync(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "PATCH" or "POST")
        {
            request.Content = new ByteArrayContent([1, 2, 3]);
        }

        return Spans.SendAsync(_client!, request);
    }

    /// <summary>What the backends answer for the paths the tests use to provoke each status; the echo for others.</summary>
    private static string? Answer(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        context.Response.StatusCode = path switch
        {
            _ when path.EndsWith("/sha256:" + new string('0', 64), StringComparison.Ordinal) => StatusCodes.Status404NotFound,
            _ when path.EndsWith("/manifests/missing", StringComparison.Ordinal) => StatusCodes.Status404NotFound,
            _ when path.EndsWith("/uploads/gone", StringComparison.Ordinal) => StatusCodes.Status404NotFound,
            _ when path.EndsWith("/uploads/out-of-order", StringComparison.Ordinal) => StatusCodes.Status416RangeNotSatisfiable,
            _ when path.EndsWith("/sha256:" + new string('e', 64), StringComparison.Ordinal) => StatusCodes.Status500InternalServerError,
            _ when path.EndsWith("/manifests/broken", StringComparison.Ordinal) => StatusCodes.Status500InternalServerError,
            _ => StatusCodes.Status200OK,
        };
        return context.Response.StatusCode == StatusCodes.Status200OK ? null : "{\"errors\":[]}";
    }
}
