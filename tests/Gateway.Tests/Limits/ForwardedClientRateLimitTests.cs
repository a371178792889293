using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Limits;

/// <summary>
/// <c>ratelimit.perclient</c> behind a proxy: the client is read from <c>X-Forwarded-For</c> only
/// when the connection comes from one of <c>ratelimit.trustedproxies</c> — the right-most address
/// there that is not itself a trusted proxy; anyone else is limited by their own address, whatever
/// they put in the header. Each test uses addresses of its own, so buckets never carry over.
/// </summary>
public sealed class ForwardedClientRateLimitTests(ProxiedClientRateLimitedGateway gateway) : IClassFixture<ProxiedClientRateLimitedGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task An_untrusted_peer_is_limited_by_its_own_address_whatever_X_Forwarded_For_says()
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 1; i <= ProxiedClientRateLimitedGateway.Requests + 1; i++)
        {
            answers.Add(await StatusAsync("203.0.113.7", $"198.51.100.{i}"));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task A_trusted_proxy_s_forwarded_clients_get_buckets_of_their_own()
    {
        var first = new List<HttpStatusCode>();
        for (var i = 0; i <= ProxiedClientRateLimitedGateway.Requests; i++)
        {
            first.Add(await StatusAsync("10.0.0.1", "198.51.100.20"));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("10.0.0.1", "198.51.100.21"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("10.0.0.1", "198.51.100.22"));
    }

    [Fact]
    public async Task The_client_is_the_right_most_forwarded_address_that_is_not_a_trusted_proxy()
    {
        // What the client itself wrote comes first and changes every time; the proxies append.
        for (var i = 0; i < ProxiedClientRateLimitedGateway.Requests; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync("10.0.0.1", $"198.18.0.{i}, 198.51.100.30, 192.168.4.4"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync("10.0.0.1", "198.18.0.99, 198.51.100.30"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync("192.168.9.9", "198.51.100.30, 10.0.0.1"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("10.0.0.1", "198.51.100.30, 198.51.100.31"));
    }

    [Theory]
    [InlineData("192.168.50.1", null)]
    [InlineData("192.168.50.2", "")]
    [InlineData("192.168.50.3", "not-an-address")]
    [InlineData("192.168.50.4", "198.51.100.40, unknown")]
    public async Task A_trusted_peer_without_a_readable_X_Forwarded_For_is_limited_by_its_own_address(string peer, string? forwarded)
    {
        for (var i = 0; i < ProxiedClientRateLimitedGateway.Requests; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(peer, null));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(peer, forwarded));
    }

    private async Task<HttpStatusCode> StatusAsync(string peer, string? forwardedFor)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, $"/v2/{TestContent.NewRepository()}/tags/list", request =>
        {
            request.Headers.TryAddWithoutValidation(TestPeerAddress.Header, peer);
            if (forwardedFor is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
            }
        });
        return response.StatusCode;
    }
}
