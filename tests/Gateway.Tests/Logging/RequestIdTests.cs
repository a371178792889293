using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Logging;

/// <summary>One id per request: the client's when it is a short token, else a new one; forwarded and echoed.</summary>
public sealed class RequestIdTests(ProxiedGateway gateway) : IClassFixture<ProxiedGateway>
{
    private const string Header = "X-Request-Id";
    private const string ManifestPath = "/v2/alpine/manifests/latest";
    private readonly HttpClient _client = gateway.CreateClient();

    [Theory]
    [InlineData("abc-123")]
    [InlineData("0af7651916cd43dd8448eb211c80319c")]
    [InlineData("build_42.step-7")]
    public async Task A_valid_client_request_id_is_forwarded_and_echoed(string requestId)
    {
        using var response = await SendWithIdsAsync(requestId);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(requestId, (await ReceivedRequest.ReadAsync(response)).RequestId);
        Assert.Equal(requestId, response.Header(Header));
    }

    [Fact]
    public async Task A_request_id_of_128_characters_is_kept()
    {
        var requestId = new string('a', 128);

        using var response = await SendWithIdsAsync(requestId);

        Assert.Equal(requestId, (await ReceivedRequest.ReadAsync(response)).RequestId);
        Assert.Equal(requestId, response.Header(Header));
    }

    public static TheoryData<string[]> UnacceptableIds() => new()
    {
        new[] { new string('a', 129) },
        new[] { "has space" },
        new[] { "a/b" },
        new[] { "semi;colon" },
        new[] { "quote\"d" },
        new[] { "first", "second" },
    };

    [Theory]
    [MemberData(nameof(UnacceptableIds))]
    public async Task An_unacceptable_request_id_is_replaced_by_a_generated_one(string[] requestIds)
    {
        using var response = await SendWithIdsAsync(requestIds);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        var echoed = response.Header(Header);
        Assert.NotNull(echoed);
        Assert.Matches("^[0-9a-f]{32}$", echoed);
        Assert.Equal(echoed, (await ReceivedRequest.ReadAsync(response)).RequestId);
    }

    [Fact]
    public async Task A_request_without_an_id_gets_a_fresh_one_that_the_backend_sees_too()
    {
        using var first = await SendWithIdsAsync();
        using var second = await SendWithIdsAsync();

        var firstId = first.Header(Header);
        Assert.NotNull(firstId);
        Assert.Equal(firstId, (await ReceivedRequest.ReadAsync(first)).RequestId);
        Assert.NotEqual(firstId, second.Header(Header));
    }

    [Fact]
    public async Task Answers_the_gateway_gives_itself_carry_the_request_id()
    {
        using var baseResponse = await _client.GetAsync("/v2/", request => request.Headers.Add(Header, "base-1"));
        using var refused = await _client.GetAsync("/v2/Upper/manifests/latest", request => request.Headers.Add(Header, "refused-1"));

        Assert.Equal("base-1", baseResponse.Header(Header));
        await OciAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "NAME_INVALID");
        Assert.Equal("refused-1", refused.Header(Header));
    }

    private Task<HttpResponseMessage> SendWithIdsAsync(params string[] requestIds) =>
        _client.GetAsync(ManifestPath, request =>
        {
            foreach (var requestId in requestIds)
            {
                request.Headers.TryAddWithoutValidation(Header, requestId);
            }
        });
}
