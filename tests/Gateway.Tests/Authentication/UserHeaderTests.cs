using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Authentication;

/// <summary>
/// Services trust <c>X-RegistryCloud-User</c> as the authenticated user, so only the gateway may
/// set it: without an access controller, a client's copy is dropped, never forwarded.
/// </summary>
public sealed class UserHeaderTests(ProxiedGateway gateway) : IClassFixture<ProxiedGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Theory]
    [InlineData("X-RegistryCloud-User", "/v2/alpine/manifests/latest")]
    [InlineData("x-registrycloud-user", "/v2/alpine/blobs/uploads/")]
    public async Task A_client_sent_user_header_is_not_forwarded(string headerName, string path)
    {
        using var response = await _client.SendAsync(HttpMethod.Post, path, request => request.Headers.Add(headerName, "admin"));

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Null((await ReceivedRequest.ReadAsync(response)).User);
    }
}
