using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;

namespace RegistryCloud.Gateway.Tests.Routing;

/// <summary>
/// <c>/console/</c> goes to the web console when <c>Console:Address</c> names it, and is the
/// gateway's 404 otherwise; the console's paths never reach the registry's services.
/// </summary>
public sealed class ConsoleRouteTests(ProxiedGateway plain, ConsoleGateway withConsole) : IClassFixture<ProxiedGateway>, IClassFixture<ConsoleGateway>
{
    [Theory]
    [InlineData("/console/")]
    [InlineData("/console/repository?name=a/b")]
    public async Task Without_a_console_address_the_console_path_answers_404(string path)
    {
        using var client = plain.CreateClient();

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(plain.AnyBackendSaw("/console/"));
    }

    [Fact]
    public async Task With_a_console_address_the_console_path_is_proxied_to_it()
    {
        using var client = withConsole.CreateClient();

        using var response = await client.GetAsync("/console/repository?name=a/b", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(withConsole.Manifests.Saw("/console/repository"));
        Assert.False(withConsole.Blobs.Saw("/console/repository"));
    }
}

/// <summary>
/// The default gateway with <c>Console:Address</c> naming its manifests echo backend: only the
/// console route can bring a <c>/console/</c> path there (the registry's route is <c>/v2/</c>).
/// </summary>
public sealed class ConsoleGateway : GatewayFixture
{
    private protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("Console:Address", Manifests.Address)];
}
