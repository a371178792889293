using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Routing;

/// <summary>
/// Blob bodies take the gateway's own copy (BlobResponseBody) instead of YARP's: what arrives is
/// exactly what BlobService sent, ranges included, and a body cut short upstream is cut short for
/// the client too, never passed off as complete.
/// </summary>
public sealed class BlobResponseBodyTests(BlobResponseBodyTests.BlobGateway gateway) : IClassFixture<BlobResponseBodyTests.BlobGateway>
{
    private const string Whole = "/v2/app/blobs/sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Broken = "/v2/app/blobs/sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private static readonly byte[] Content = Bytes(3 * 1024 * 1024 + 17);

    [Fact]
    public async Task A_blob_arrives_byte_for_byte_with_its_length()
    {
        using var client = gateway.Factory.CreateRegistryClient();
        using var response = await client.GetAsync(Whole, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_range_arrives_as_206_with_just_those_bytes()
    {
        using var client = gateway.Factory.CreateRegistryClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Whole);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 200_999);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(Content.AsSpan(1000, 200_000).ToArray(), await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_head_request_keeps_the_length_and_has_no_body()
    {
        using var client = gateway.Factory.CreateRegistryClient();
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Whole), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_body_cut_short_upstream_fails_for_the_client_instead_of_ending_early()
    {
        using var client = gateway.Factory.CreateRegistryClient();
        using var response = await client.GetAsync(Broken, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var failed = false;
        var length = 0;
        try
        {
            length = (await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            failed = true;
        }

        Assert.True(failed, $"the body ended cleanly after {length} of {Content.Length} bytes");

        // The gateway's own copy took it (YARP's would not log this), and said why it cut the connection.
        var logged = await gateway.Logs.WaitForAsync(log => log.Message.Contains("failed midway", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Contains(Broken, logged.Message, StringComparison.Ordinal);
    }

    private static byte[] Bytes(int size)
    {
        var bytes = new byte[size];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The gateway in front of a BlobService stand-in that serves one blob whole and one cut short.</summary>
    public sealed class BlobGateway : IAsyncLifetime
    {
        private WebApplication? _backend;

        internal GatewayFactory Factory { get; private set; } = null!;

        internal LogCapture Logs { get; } = new();

        public async ValueTask InitializeAsync()
        {
            (_backend, var address) = await LoopbackApp.StartAsync(backend =>
            {
                backend.MapMethods(Whole, ["GET", "HEAD"], () => Results.Bytes(Content, "application/octet-stream", enableRangeProcessing: true));
                backend.MapGet(Broken, async context =>
                {
                    context.Response.ContentLength = Content.Length;
                    await context.Response.Body.WriteAsync(Content.AsMemory(0, Content.Length / 2), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    context.Abort();
                });
            });
            Factory = new GatewayFactory(GatewaySettings.ProxyTo(address, LoopbackPorts.ClosedAddress()), Logs);
        }

        public async ValueTask DisposeAsync()
        {
            await Factory.DisposeAsync();
            if (_backend is not null)
            {
                await _backend.DisposeAsync();
            }
        }
    }
}
