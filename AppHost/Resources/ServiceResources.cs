namespace RegistryCloud.AppHost.Resources;

internal static class ServiceResources
{
    /// <summary>
    /// The gateway's resource name: the one resource clients talk to. AppHost.cs writes it out, as
    /// it does every resource's name, where the deployment tests read the names from its source.
    /// </summary>
    public const string GatewayName = "gateway";

    /// <summary>Read by ServiceDefaults' <c>UseRegistryListeners</c>.</summary>
    public const string HttpPortVariable = "REGISTRYCLOUD_HTTP_PORT";
    public const string GrpcPortVariable = "REGISTRYCLOUD_GRPC_PORT";

    /// <summary>Read by the gateway's <c>DevelopmentHttps</c>.</summary>
    public const string HttpsPortVariable = "REGISTRYCLOUD_HTTPS_PORT";
    public const string CertificateDirectoryVariable = "REGISTRYCLOUD_DEV_CERTIFICATE_DIRECTORY";

    /// <summary>
    /// An explicit HTTP endpoint (and, for gRPC servers, an HTTP/2-only one: cleartext gRPC has
    /// no ALPN to negotiate HTTP/2), health-checked on <c>/health</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceEndpoints(this IResourceBuilder<ProjectResource> project, bool grpc = false)
    {
        project.WithHttpEndpoint(name: "http", env: HttpPortVariable, isProxied: false);
        if (grpc)
        {
            project.WithHttpEndpoint(name: "grpc", env: GrpcPortVariable, isProxied: false)
                .WithEndpoint("grpc", endpoint => endpoint.Transport = "http2");
        }

        return project.WithHttpHealthCheck("/health", endpointName: "http");
    }

    /// <summary>
    /// Every service that touches storage gets the same root, as Distribution's variable names it:
    /// the data directory, unless a registry configuration says where storage is (and no data
    /// directory was asked for on top of it); or the object-storage emulator of <c>RegistryCloud:Storage</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRegistryStorage(this IResourceBuilder<ProjectResource> project, AppHostSettings settings, RegistryStorageEmulator? emulator)
    {
        project.WithRegistryConfiguration(settings);
        if (emulator is not null)
        {
            return project.WithStorageEmulator(emulator);
        }

        return settings.StorageInDataDirectory
            ? project.WithEnvironment(AppHostSettings.StorageRootVariable, AppHostSettings.StorageRoot(settings.DataDirectory))
            : project;
    }

    /// <summary>
    /// The gateway sends the blob files BlobService hands it (BlobFileHandoff), so it is given the
    /// same storage as the services that write it (the filesystem root, or the object-storage
    /// emulator); it only reads there.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithBlobFiles(this IResourceBuilder<ProjectResource> gateway, AppHostSettings settings, RegistryStorageEmulator? emulator)
    {
        if (emulator is not null)
        {
            return gateway.WithStorageEmulator(emulator);
        }

        return settings.StorageInDataDirectory
            ? gateway.WithEnvironment(AppHostSettings.StorageRootVariable, AppHostSettings.StorageRoot(settings.DataDirectory))
            : gateway;
    }

    /// <summary>
    /// Hands the registry's <c>config.yml</c> to a service, by Distribution's own variable, with
    /// every <c>REGISTRY_*</c> override the AppHost was started with: each service reads the same
    /// configuration the AppHost validated.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRegistryConfiguration(this IResourceBuilder<ProjectResource> project, AppHostSettings settings)
    {
        foreach (var (name, value) in settings.Overrides)
        {
            if (value is not null && IsSecret(name))
            {
                // A secret parameter: the dashboard masks it, where a plain variable would show it.
                project.WithEnvironment(name, SecretParameter(project.ApplicationBuilder, name, value));
            }
            else
            {
                project.WithEnvironment(name, value);
            }
        }

        return settings.ConfigPath is null ? project : project.WithEnvironment(AppHostSettings.ConfigPathVariable, settings.ConfigPath);
    }

    /// <summary>
    /// The gateway's one listener, on the configured port with no proxy in front: plain HTTP and
    /// health-checked on <c>/health</c>, or HTTPS when the configuration has <c>http.tls</c> (its
    /// certificate may be self-signed, so the AppHost does not probe it). With
    /// <c>RegistryCloud:HttpsPort</c>, a second, HTTPS listener with the gateway's own
    /// self-signed certificate, kept in the data directory.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGatewayEndpoint(this IResourceBuilder<ProjectResource> gateway, AppHostSettings settings)
    {
        if (settings.GatewayTls)
        {
            return gateway.WithHttpsEndpoint(name: "https", port: settings.GatewayPort, env: HttpPortVariable, isProxied: false).WithExternalHttpEndpoints();
        }

        gateway.WithHttpEndpoint(name: "http", port: settings.GatewayPort, env: HttpPortVariable, isProxied: false)
            .WithExternalHttpEndpoints()
            .WithHttpHealthCheck("/health", endpointName: "http");
        return settings.HttpsPort is { } httpsPort
            ? gateway.WithHttpsEndpoint(name: "https", port: httpsPort, env: HttpsPortVariable, isProxied: false)
                .WithEnvironment(CertificateDirectoryVariable, settings.CertificateDirectory)
            : gateway;
    }

    /// <summary>Overrides that carry credentials (<c>REGISTRY_REDIS_PASSWORD</c>, <c>REGISTRY_STORAGE_S3_SECRETKEY</c>, ...).</summary>
    public static bool IsSecret(string variable) =>
        variable.EndsWith("PASSWORD", StringComparison.Ordinal)
        || variable.EndsWith("_SECRET", StringComparison.Ordinal)
        || variable.EndsWith("_SECRETKEY", StringComparison.Ordinal)
        || variable.EndsWith("_ACCESSKEY", StringComparison.Ordinal)
        || variable.EndsWith("_ACCOUNTKEY", StringComparison.Ordinal)
        || variable.EndsWith("_CONNECTIONSTRING", StringComparison.Ordinal);

    /// <summary>One secret parameter per variable, shared by every service given it.</summary>
    private static IResourceBuilder<ParameterResource> SecretParameter(IDistributedApplicationBuilder builder, string variable, string value)
    {
        var name = variable.ToLowerInvariant().Replace('_', '-');
        return builder.Resources.OfType<ParameterResource>().FirstOrDefault(parameter => parameter.Name == name) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(name, value, publishValueAsDefault: false, secret: true);
    }
}
