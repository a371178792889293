using Yarp.ReverseProxy.Configuration;

namespace RegistryCloud.Gateway.Routing;

/// <summary>
/// The web console (WebConsole project) behind the gateway under <c>/console/</c>, on the
/// registry's own listeners and TLS, when <c>Console:Address</c> names it (the AppHost sets it
/// unless <c>RegistryCloud:Console</c> is false). Without it there is no route, and
/// <c>/console/</c> gets the gateway's 404 like any other path. The console calls the registry
/// API back through the gateway with each user's own credentials, so nothing here authorizes.
/// </summary>
internal static class ConsoleRoute
{
    public const string AddressKey = "Console:Address";
    public const string ClusterId = "console";
    public const string PathPrefix = "/console";

    public static IReverseProxyBuilder AddConsoleRoute(this IReverseProxyBuilder proxy, IConfiguration configuration)
    {
        var address = configuration[AddressKey];
        if (string.IsNullOrEmpty(address))
        {
            return proxy;
        }

        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"{AddressKey}: '{address}' is not an http(s) address of the web console.");
        }

        RouteConfig[] routes =
        [
            new() { RouteId = ClusterId, ClusterId = ClusterId, Match = new RouteMatch { Path = PathPrefix + "/{**rest}" } },
        ];
        ClusterConfig[] clusters =
        [
            new()
            {
                ClusterId = ClusterId,
                HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { Version = new Version(1, 1), VersionPolicy = HttpVersionPolicy.RequestVersionExact },
                Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal) { ["webconsole"] = new() { Address = address } },
            },
        ];
        return proxy.LoadFromMemory(routes, clusters);
    }

    /// <summary>Whether the proxied request is the console's, which the registry's proxy steps leave alone.</summary>
    public static bool IsConsole(HttpContext context) =>
        context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.Ordinal);
}
