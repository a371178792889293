using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RegistryCloud.Tests.Shared;

/// <summary>Small HTTP servers a test starts for the code under test to talk to: backends, webhook endpoints, probe targets.</summary>
public static class LoopbackApp
{
    /// <summary>
    /// A quiet Kestrel app on 127.0.0.1 and a port of its own, with the endpoints
    /// <paramref name="map"/> gives it, started; returns it and its <c>http://127.0.0.1:port</c>.
    /// </summary>
    public static async Task<(WebApplication App, string Address)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        map(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return (app, AddressOf(app));
    }

    /// <summary>The <c>http://127.0.0.1:port</c> a started app listens on.</summary>
    public static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
}
