using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RegistryCloud.Gateway.Tls;

/// <summary>
/// Local HTTPS beside the plain listener, when the AppHost asks for it: <c>REGISTRYCLOUD_HTTPS_PORT</c>
/// on localhost with the self-signed certificate kept in <c>REGISTRYCLOUD_DEV_CERTIFICATE_DIRECTORY</c>.
/// Never used with <c>http.tls</c>, which is the operator's own certificate.
/// </summary>
internal static partial class DevelopmentHttps
{
    public const string PortVariable = "REGISTRYCLOUD_HTTPS_PORT";
    public const string DirectoryVariable = "REGISTRYCLOUD_DEV_CERTIFICATE_DIRECTORY";

    public static void UseDevelopmentHttps(this WebApplicationBuilder builder)
    {
        if (KestrelEndpoints.ReadPort(builder, PortVariable) is not { } port)
        {
            return;
        }

        var directory = builder.Configuration[DirectoryVariable];
        if (string.IsNullOrEmpty(directory))
        {
            throw new InvalidOperationException($"{DirectoryVariable}: a directory to keep the gateway's self-signed certificate in is needed with {PortVariable}.");
        }

        var (certificate, created) = DevelopmentCertificate.LoadOrCreate(directory, TimeProvider.System);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        }));
        builder.Services.AddHostedService(services => new Notice(
            services.GetRequiredService<ILogger<Notice>>(), port, Path.Combine(directory, DevelopmentCertificate.CertificateFileName), created));
    }

    /// <summary>Says once, at start, where the certificate is, so a user can trust it.</summary>
    internal sealed partial class Notice(ILogger<Notice> logger, int port, string path, bool created) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogHttps(logger, port, created ? "made" : "kept", path);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information,
            Message = "HTTPS on https://localhost:{Port} with a self-signed certificate ({Made}): {Path}. Trust it: copy it to /etc/docker/certs.d/localhost:{Port}/ca.crt for docker, or pass its directory as --cert-dir to skopeo and podman.")]
        private static partial void LogHttps(ILogger logger, int port, string made, string path);
    }
}
