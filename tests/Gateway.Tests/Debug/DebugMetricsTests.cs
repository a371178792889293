using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Debug;

/// <summary>
/// The debug listener's <c>/metrics</c> covers the whole registry: the gateway's samples and each
/// backend's, labelled by service and instance; a backend that cannot be scraped is named in a
/// comment and the scrape still answers 200.
/// </summary>
public sealed class DebugMetricsTests : IAsyncLifetime
{
    private readonly int _debugPort = LoopbackPorts.Free();

    private WebApplication? _blobMetrics;
    private GatewayFactory? _gateway;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        (_blobMetrics, var blobs) = await LoopbackApp.StartAsync(app => app.MapGet("/metrics", () => Results.Text(
            "# HELP registry_uploads Uploads.\n# TYPE registry_uploads counter\nregistry_uploads_total{kind=\"monolithic\"} 42\n",
            "text/plain; version=0.0.4")));

        var settings = GatewaySettings.ProxyTo(blobs, LoopbackPorts.ClosedAddress());
        settings["REGISTRY_HTTP_ADDR"] = "127.0.0.1:0";
        settings["REGISTRY_HTTP_DEBUG_ADDR"] = $"127.0.0.1:{_debugPort}";
        settings["services:blobservice:http:0"] = blobs;
        settings["services:manifestservice:http:0"] = LoopbackPorts.ClosedAddress();
        settings["services:notifierservice:http:0"] = LoopbackPorts.ClosedAddress();
        _gateway = new GatewayFactory(settings);
    }

    [Fact]
    public async Task The_debug_metrics_hold_every_service_labelled_and_name_the_ones_not_scraped()
    {
        var debugAddress = KestrelGateway.Start(_gateway!).Single(address => address.Port == _debugPort);
        using var debug = new HttpClient { BaseAddress = debugAddress };

        using var response = await debug.GetAsync("/metrics", Token);
        var text = await response.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Matches("""registry_uploads_total\{kind="monolithic",service="blobservice",instance="127\.0\.0\.1:\d+"\} 42""", text);
        Assert.Matches("""# registrycloud: manifestservice 127\.0\.0\.1:\d+: not scraped""", text);
        Assert.Matches("""# registrycloud: notifierservice 127\.0\.0\.1:\d+: not scraped""", text);
        Assert.Matches("""\n[a-z_]+\{[^\n]*service="gateway"\} """, text);
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_blobMetrics is not null)
        {
            await _blobMetrics.DisposeAsync();
        }
    }
}
