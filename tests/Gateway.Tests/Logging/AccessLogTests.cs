using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Logging;

/// <summary>One access-log line per request: method, path, status, bytes in and out, request id.</summary>
public sealed class AccessLogTests(ProxiedGateway gateway) : IClassFixture<ProxiedGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task A_request_is_logged_with_its_status_and_request_id_but_not_its_query()
    {
        using var response = await _client.GetAsync("/v2/alpine/tags/list?n=10&last=secret-marker", request => request.Headers.Add("X-Request-Id", "log-query-1"));

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        var line = await WaitForLineAsync("log-query-1");
        Assert.StartsWith("GET /v2/alpine/tags/list 200 ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-marker", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_upload_is_logged_with_the_bytes_it_sent()
    {
        var chunk = TestContent.NewBlob(50_000);
        using var body = new StreamContent(new MemoryStream(chunk));

        using var response = await _client.GetAsync("/v2/alpine/blobs/uploads/3f2b6a4e-8c1d-4e5f-9a7b-0c1d2e3f4a5b", request =>
        {
            request.Method = HttpMethod.Patch;
            request.Headers.Add("X-Request-Id", "log-chunked-1");
            request.Headers.TransferEncodingChunked = true;
            request.Content = body;
        });

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(chunk.Length, (await ReceivedRequest.ReadAsync(response)).BodyLength);
        Assert.Contains($" in={chunk.Length} ", await WaitForLineAsync("log-chunked-1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_streamed_response_is_logged_with_the_bytes_it_returned()
    {
        using var response = await _client.GetAsync("/v2/alpine/manifests/latest", request => request.Headers.Add("X-Request-Id", "log-streamed-1"));

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        var returned = (await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length;
        Assert.NotEqual(0, returned);
        Assert.Contains($" out={returned} ", await WaitForLineAsync("log-streamed-1"), StringComparison.Ordinal);
    }

    private async Task<string> WaitForLineAsync(string requestId) =>
        (await gateway.Logs.WaitForAsync(log => log.Category == "RegistryCloud.Gateway.AccessLog"
            && log.Message.EndsWith($" id={requestId} user=-", StringComparison.Ordinal))).Message;
}
