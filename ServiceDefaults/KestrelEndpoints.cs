using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Listeners the AppHost hands a service by port: <c>REGISTRYCLOUD_HTTP_PORT</c> for the HTTP API
/// (HTTP/1.1; HTTP/2 over cleartext cannot be negotiated) and <c>REGISTRYCLOUD_GRPC_PORT</c> for gRPC, which over cleartext needs an
/// HTTP/2-only endpoint (there is no ALPN to negotiate it). Without them, Kestrel's usual
/// configuration (<c>ASPNETCORE_URLS</c>, <c>Kestrel:Endpoints</c>) applies, as in Kubernetes.
/// </summary>
public static class KestrelEndpoints
{
    public const string HttpPortVariable = "REGISTRYCLOUD_HTTP_PORT";
    public const string GrpcPortVariable = "REGISTRYCLOUD_GRPC_PORT";

    public static WebApplicationBuilder UseRegistryListeners(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var httpPort = ReadPort(builder, HttpPortVariable);
        var grpcPort = ReadPort(builder, GrpcPortVariable);
        if (httpPort is null && grpcPort is null)
        {
            return builder;
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (httpPort is { } http)
            {
                kestrel.ListenLocalhost(http, listen => listen.Protocols = HttpProtocols.Http1);
            }

            if (grpcPort is { } grpc)
            {
                kestrel.ListenLocalhost(grpc, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });
        return builder;
    }

    /// <summary>The port a variable names, null when it is unset; anything but 1-65535 stops start-up naming it.</summary>
    public static int? ReadPort(WebApplicationBuilder builder, string variable)
    {
        var text = builder.Configuration[variable];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, out var port) && port is > 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"{variable}: '{text}' is not a port number (1-65535).");
    }
}
