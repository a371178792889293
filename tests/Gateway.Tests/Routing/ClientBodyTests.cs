using System.Net;
using System.Text;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Routing;

/// <summary>
/// A request body that fails on the client's side (malformed, cut off, too slow) is the client's
/// fault: 400 SIZE_INVALID, not the 503 UNAVAILABLE that says a service is down.
/// </summary>
public sealed class ClientBodyTests(KestrelProxiedGateway gateway) : IClassFixture<KestrelProxiedGateway>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("PATCH", "/v2/a/b/blobs/uploads/3f2b6a4e-8c1d-4e5f-9a7b-0c1d2e3f4a5b")]
    [InlineData("PUT", "/v2/alpine/manifests/latest")]
    public async Task A_malformed_chunked_body_answers_400_SIZE_INVALID(string method, string path)
    {
        var answer = await SendAsync($"{method} {path} HTTP/1.1\r\nHost: registry.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n01234\r\nzz\r\n");

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("\"SIZE_INVALID\"", answer, StringComparison.Ordinal);
    }

    private async Task<string> SendAsync(string request)
    {
        var answer = await RawSocket.ExchangeAsync(
            new IPEndPoint(IPAddress.Loopback, gateway.Address.Port), Encoding.ASCII.GetBytes(request), endOfInput: false, Token);
        return Encoding.ASCII.GetString(answer);
    }
}
