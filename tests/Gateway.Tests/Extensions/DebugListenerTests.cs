using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Extensions;

/// <summary><c>http.debug.addr</c>: metrics and health on the debug address only.</summary>
public sealed class DebugListenerTests(DebugGateway gateway) : IClassFixture<DebugGateway>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_in_Prometheus_format_are_served_on_the_debug_address()
    {
        using var registry = gateway.CreateClient();
        using (var warmUp = await registry.SendAsync(HttpMethod.Get, "/v2/"))
        {
            await OciAssert.StatusAsync(warmUp, HttpStatusCode.OK);
        }

        using var debug = gateway.Factory.CreateClient(new() { BaseAddress = new Uri($"http://localhost:{DebugGateway.DebugPort}") });
        using var metrics = await debug.GetAsync("/metrics", Token);
        var text = await metrics.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("http_server_request_duration_seconds_count", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/v2/\"", text, StringComparison.Ordinal);

        using var health = await debug.GetAsync("/debug/health", Token);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task The_registry_address_does_not_serve_metrics()
    {
        using var registry = gateway.CreateClient();
        using var response = await registry.SendAsync(HttpMethod.Get, "/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
