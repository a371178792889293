using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Debug;

/// <summary>
/// <c>http.debug.addr</c>: metrics and health on the debug listener's own socket only, whatever
/// the Host header says, and nothing of the registry API there.
/// </summary>
public sealed class DebugListenerTests(DebugGateway gateway) : IClassFixture<DebugGateway>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string> DebugPaths() => ["/metrics", "/debug/health", "/METRICS", "/debug/health/"];

    public static TheoryData<string> RegistryPaths() =>
        ["/v2/", "/v2", "/v2/_catalog", "/v2/library/alpine/manifests/latest", "/v2/library/alpine/blobs/uploads/", "/health", "/alive", "/auth/token"];

    [Fact]
    public async Task Metrics_in_Prometheus_format_are_served_on_the_debug_address()
    {
        using var registry = new HttpClient { BaseAddress = gateway.RegistryAddress };
        using (var warmUp = await registry.GetAsync("/v2/", Token))
        {
            await OciAssert.StatusAsync(warmUp, HttpStatusCode.OK);
        }

        using var debug = new HttpClient { BaseAddress = gateway.DebugAddress };
        using var metrics = await debug.GetAsync("/metrics", Token);
        var text = await metrics.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("http_server_request_duration_seconds_count", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/v2/\"", text, StringComparison.Ordinal);

        using var health = await debug.GetAsync("/debug/health", Token);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [MemberData(nameof(DebugPaths))]
    public async Task The_registry_address_does_not_serve_debug_paths(string path)
    {
        using var registry = new HttpClient { BaseAddress = gateway.RegistryAddress };

        using var response = await registry.GetAsync(path, Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(DebugPaths))]
    public async Task The_registry_address_does_not_serve_debug_paths_to_a_Host_header_naming_the_debug_port(string path)
    {
        using var registry = new HttpClient { BaseAddress = gateway.RegistryAddress };

        foreach (var host in new[] { $"127.0.0.1:{gateway.DebugPort}", $"localhost:{gateway.DebugPort}" })
        {
            using var response = await registry.SendAsync(HttpMethod.Get, path, request => request.Headers.Host = host);

            Assert.True(HttpStatusCode.NotFound == response.StatusCode, $"GET {path} with Host: {host} answered {(int)response.StatusCode}");
            Assert.Empty(await response.Content.ReadAsByteArrayAsync(Token));
        }
    }

    [Theory]
    [MemberData(nameof(RegistryPaths))]
    public async Task The_debug_address_serves_nothing_but_the_debug_paths(string path)
    {
        using var debug = new HttpClient { BaseAddress = gateway.DebugAddress };

        using var response = await debug.GetAsync(path, Token);

        Assert.True(HttpStatusCode.NotFound == response.StatusCode, $"GET {path} on the debug address answered {(int)response.StatusCode}");
        Assert.False(gateway.AnyBackendSaw(path));
    }
}
