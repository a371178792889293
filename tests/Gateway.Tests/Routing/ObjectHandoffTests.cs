using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Routing;

/// <summary>
/// The blob handoff on object storage (redirects off): the gateway reads the range BlobService
/// names from the same bucket (a real S3 server, s3rver) and sends it; an object gone is
/// BLOB_UNKNOWN; a gateway that cannot reach the bucket answers 503 once and then leaves the bytes to
/// BlobService (it stops offering) instead of failing every pull.
/// </summary>
public sealed class ObjectHandoffTests(S3rverServer server) : IClassFixture<S3rverServer>, IAsyncLifetime
{
    private static readonly byte[] Content = Bytes(3 * 1024 * 1024 + 9);
    private static readonly Digest Stored = Digest.Compute(Content);
    private readonly string _root = "/gateway/" + Guid.NewGuid().ToString("N");
    private WebApplication? _backend;
    private string _backendAddress = "";
    private string? _lastOffer;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        using (var driver = server.NewDriver(server.NewOptions(rootDirectory: _root)))
        {
            await driver.PutContentAsync(RegistryPaths.BlobData(Stored), Content, Token);
        }

        (_backend, _backendAddress) = await LoopbackApp.StartAsync(backend =>
            backend.MapGet("/v2/app/blobs/{digest}", (HttpContext context, string digest) =>
            {
                var offer = context.Request.Headers[BlobFileHandoff.AcceptHeader].ToString();
                _lastOffer = offer.Length == 0 ? null : offer;
                var asked = Digest.Parse(digest);
                context.Response.Headers["Docker-Content-Digest"] = digest;
                if (_lastOffer is null)
                {
                    // As BlobService: without the offer it streams the bytes itself.
                    return Results.Bytes(Content, "application/octet-stream");
                }

                long offset = 0, count = Content.Length;
                if (context.Request.Headers.Range.Count > 0)
                {
                    (offset, count) = (5 * 1024 * 1024 / 2, 100_000);
                    context.Response.StatusCode = StatusCodes.Status206PartialContent;
                    context.Response.Headers.ContentRange = $"bytes {offset}-{offset + count - 1}/{Content.Length}";
                }

                context.Response.Headers[BlobFileHandoff.Header] = BlobFileHandoff.Format(RegistryPaths.BlobData(asked), offset, count);
                context.Response.ContentLength = 0;
                return Results.Empty;
            }));
    }

    public async ValueTask DisposeAsync()
    {
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_gateway_sends_the_named_range_of_the_object_byte_for_byte()
    {
        await using var gateway = Gateway(server.Endpoint);
        using var client = gateway.CreateRegistryClient();

        using (var whole = await client.GetAsync($"/v2/app/blobs/{Stored}", Token))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(Content.Length, whole.Content.Headers.ContentLength);
            Assert.Equal(Content, await whole.Content.ReadAsByteArrayAsync(Token));
            Assert.False(whole.Headers.Contains(BlobFileHandoff.Header));
        }

        Assert.Equal("1", _lastOffer);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/app/blobs/{Stored}");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 0);
        using var part = await client.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(Content.AsSpan(5 * 1024 * 1024 / 2, 100_000).ToArray(), await part.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task An_object_gone_is_blob_unknown()
    {
        await using var gateway = Gateway(server.Endpoint);
        using var client = gateway.CreateRegistryClient();

        using var response = await client.GetAsync($"/v2/app/blobs/{Digest.Compute([7, 7, 7])}", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task A_gateway_that_cannot_reach_the_bucket_answers_503_once_then_leaves_the_bytes_to_BlobService()
    {
        await using var gateway = Gateway(LoopbackPorts.ClosedAddress());
        using var client = gateway.CreateRegistryClient();

        using (var first = await client.GetAsync($"/v2/app/blobs/{Stored}", Token))
        {
            await OciAssert.ErrorAsync(first, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        }

        using var second = await client.GetAsync($"/v2/app/blobs/{Stored}", Token);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(Content, await second.Content.ReadAsByteArrayAsync(Token));
        Assert.Null(_lastOffer);
    }

    private GatewayFactory Gateway(string endpoint) => new(new Dictionary<string, string>(GatewaySettings.ProxyTo(_backendAddress, _backendAddress))
    {
        ["REGISTRY_STORAGE"] = "s3",
        ["REGISTRY_STORAGE_S3_BUCKET"] = S3rverServer.Bucket,
        ["REGISTRY_STORAGE_S3_REGIONENDPOINT"] = endpoint,
        ["REGISTRY_STORAGE_S3_FORCEPATHSTYLE"] = "true",
        ["REGISTRY_STORAGE_S3_SECURE"] = "false",
        ["REGISTRY_STORAGE_S3_ACCESSKEY"] = server.NewOptions().AccessKey!,
        ["REGISTRY_STORAGE_S3_SECRETKEY"] = server.NewOptions().SecretKey!,
        ["REGISTRY_STORAGE_S3_CHECKSUMS"] = "whenrequired",
        ["REGISTRY_STORAGE_S3_ROOTDIRECTORY"] = _root,
        ["REGISTRY_STORAGE_REDIRECT_DISABLE"] = "true",
    });

    private static byte[] Bytes(int size)
    {
        var bytes = new byte[size];
        new Random(13).NextBytes(bytes);
        return bytes;
    }
}
