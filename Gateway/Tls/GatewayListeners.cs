using RegistryCloud.Configuration;

namespace RegistryCloud.Gateway.Tls;

/// <summary>
/// Where the gateway listens. Without <c>http.tls</c>: the AppHost's port on localhost
/// (<c>REGISTRYCLOUD_HTTP_PORT</c>), else Kestrel's own settings. With <c>http.tls</c>: HTTPS with
/// the configured certificate on that port, or on <c>http.addr</c> — as Distribution serves TLS on
/// its one address. Certificate problems stop start-up here, naming the key and the file. Without
/// <c>http.tls</c>, the AppHost may also ask for local HTTPS with a self-signed certificate
/// (<see cref="DevelopmentHttps"/>).
/// </summary>
internal static class GatewayListeners
{
    public static void UseGatewayListeners(this WebApplicationBuilder builder, HttpConfiguration http)
    {
        if (http.Tls is not { } tls)
        {
            builder.UseRegistryListeners();
            builder.UseDevelopmentHttps();
            if (http.Debug is not null && builder.Configuration[KestrelEndpoints.HttpPortVariable] is null && http.ListenAddress is { } plain)
            {
                // The debug listener is declared in code, which makes Kestrel ignore ASPNETCORE_URLS:
                // the registry's own address must then be declared too.
                builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(TlsSetup.EndPoint(plain)));
            }

            return;
        }

        var certificate = TlsSetup.LoadCertificate(tls);
        var clientCas = TlsSetup.LoadClientCas(tls);
        var appHostPort = builder.Configuration[KestrelEndpoints.HttpPortVariable];
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (int.TryParse(appHostPort, out var port))
            {
                kestrel.ListenLocalhost(port, listen => listen.UseRegistryTls(http, certificate, clientCas));
            }
            else if (http.ListenAddress is { } address)
            {
                kestrel.Listen(TlsSetup.EndPoint(address), listen => listen.UseRegistryTls(http, certificate, clientCas));
            }
        });
    }
}
