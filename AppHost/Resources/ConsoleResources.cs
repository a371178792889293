namespace RegistryCloud.AppHost.Resources;

/// <summary>
/// The web console: its own project, reached only through the gateway's <c>/console/</c> route,
/// calling the registry API back through the gateway with each user's own credentials.
/// </summary>
internal static class ConsoleResources
{
    public const string ResourceName = "webconsole";

    /// <summary>Read by the gateway's ConsoleRoute: where <c>/console/</c> goes (resolved by service discovery).</summary>
    public const string AddressVariable = "Console__Address";

    /// <summary>Read by the console: the gateway's address, and the certificate it serves when <c>http.tls</c> is set.</summary>
    public const string RegistryVariable = "WebConsole__Registry";
    public const string RegistryCertificateVariable = "WebConsole__RegistryCertificate";
    public const string NotifierVariable = "WebConsole__Notifier";

    /// <summary>Read by the console's status page: BlobService's <c>GET /status</c> (storage used, garbage collection).</summary>
    public const string BlobsVariable = "WebConsole__Blobs";

    /// <summary>Routes <c>/console/</c> of the gateway to the console, and points the console at the gateway.</summary>
    public static IResourceBuilder<ProjectResource> WithConsole(this IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ProjectResource>? console, AppHostSettings settings)
    {
        if (console is null)
        {
            return gateway;
        }

        gateway.WithReference(console.GetEndpoint("http"))
            .WithEnvironment(AddressVariable, $"http://{ResourceName}");
        console.WithEnvironment(NotifierVariable, "http://notifierservice")
            .WithEnvironment(BlobsVariable, "http://blobservice")
            .WithEnvironment(RegistryVariable, gateway.GetEndpoint(settings.GatewayTls ? "https" : "http"));
        if (settings.GatewayTls && settings.Registry?.Http.Tls?.Certificate is { } certificate)
        {
            console.WithEnvironment(RegistryCertificateVariable, certificate);
        }

        return gateway;
    }
}
