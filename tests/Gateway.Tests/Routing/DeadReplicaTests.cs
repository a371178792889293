using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Routing;

/// <summary>
/// Issue 20: a replica that died (kill -9) refuses connections. Round-robin would keep sending it
/// every other request — for a client that alternates a status GET and a PATCH, every PATCH —
/// so the gateway takes it out at its first failed connection and tries it again later.
/// </summary>
public sealed class DeadReplicaTests
{
    private const string DeadDestination = "ReverseProxy:Clusters:blobs:Destinations:dead:Address";
    private const int Requests = 10;

    [Fact]
    public async Task A_replica_that_refuses_connections_gets_no_more_requests_after_its_first_failure()
    {
        await using var live = await EchoBackend.StartAsync("live");
        var settings = GatewaySettings.ProxyTo(live.Address, LoopbackPorts.ClosedAddress());
        settings[DeadDestination] = LoopbackPorts.ClosedAddress();
        await using var gateway = new GatewayFactory(settings);
        using var client = gateway.CreateRegistryClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Requests; i++)
        {
            using var response = await client.SendAsync(HttpMethod.Post, "/v2/a/b/blobs/uploads/");
            statuses.Add(response.StatusCode);
        }

        Assert.True(statuses.Count(status => status != HttpStatusCode.OK) <= 1, $"answers: {string.Join(", ", statuses)}");
        Assert.Equal(statuses.Count(status => status == HttpStatusCode.OK), live.Received.Count);
    }
}
