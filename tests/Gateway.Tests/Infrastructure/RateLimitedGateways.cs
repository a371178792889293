using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway with <c>ratelimit.perclient</c> of <see cref="Requests"/> an hour, set by variables: in
/// process every request comes from one client, so the bucket drains within a test and never refills.
/// </summary>
public sealed class ClientRateLimitedGateway : GatewayFixture
{
    public const int Requests = 3;

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return new("REGISTRY_RATELIMIT_PERCLIENT_REQUESTS", Requests.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("REGISTRY_RATELIMIT_PERCLIENT_PERIOD", "1h");
    }
}

/// <summary>The gateway with <c>auth.htpasswd</c> (alice, bob) and <c>ratelimit.peruser</c> of two requests an hour.</summary>
public sealed class UserRateLimitedGateway : GatewayFixture
{
    public const string Password = "rate limited password";

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        var path = Path.Combine(Files.Path, "htpasswd");
        File.WriteAllLines(path, [Htpasswd.Bcrypt("alice", Password), Htpasswd.Bcrypt("bob", Password), Htpasswd.Bcrypt("carol", Password)]);
        yield return new(GatewaySettings.HtpasswdRealm, "limits");
        yield return new(GatewaySettings.HtpasswdPath, path);
        yield return new("REGISTRY_RATELIMIT_PERUSER_REQUESTS", "2");
        yield return new("REGISTRY_RATELIMIT_PERUSER_PERIOD", "1h");
    }
}

/// <summary>
/// The gateway with <c>ratelimit.perclient</c> of <see cref="Requests"/> an hour and
/// <c>ratelimit.trustedproxies</c> of 10.0.0.1 and 192.168.0.0/16. Each request names the peer it
/// comes from in <see cref="TestPeerAddress.Header"/>, which the test server has none of.
/// </summary>
public sealed class ProxiedClientRateLimitedGateway : GatewayFixture
{
    public const int Requests = 3;

    private protected override Action<IServiceCollection>? ConfigureServices =>
        services => services.AddSingleton<IStartupFilter, TestPeerAddress>();

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return ConfigurationFile($"""
            version: 0.1
            storage: inmemory
            ratelimit:
              perclient:
                requests: {Requests}
                period: 1h
              trustedproxies: [10.0.0.1, 192.168.0.0/16]
            """);
    }
}

/// <summary>Sets the connection's remote address from <see cref="Header"/>, before the gateway's own middleware.</summary>
internal sealed class TestPeerAddress : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, rest) =>
        {
            if (context.Request.Headers.Remove(Header, out var peer))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            }

            return rest(context);
        });
        next(app);
    };
}
