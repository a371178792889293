namespace RegistryCloud.AppHost.Resources;

internal static class ServiceResources
{
    /// <summary>Read by ServiceDefaults' <c>UseRegistryListeners</c>.</summary>
    public const string HttpPortVariable = "REGISTRYCLOUD_HTTP_PORT";
    public const string GrpcPortVariable = "REGISTRYCLOUD_GRPC_PORT";
    public const string StorageRootVariable = "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY";

    /// <summary>
    /// An explicit HTTP endpoint (and, for gRPC servers, an HTTP/2-only one: cleartext gRPC has
    /// no ALPN to negotiate HTTP/2), health-checked on <c>/health</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceEndpoints(this IResourceBuilder<ProjectResource> project, bool grpc = false)
    {
        project.WithHttpEndpoint(name: "http", env: HttpPortVariable);
        if (grpc)
        {
            project.WithHttpEndpoint(name: "grpc", env: GrpcPortVariable)
                .WithEndpoint("grpc", endpoint => endpoint.Transport = "http2");
        }

        return project.WithHttpHealthCheck("/health", endpointName: "http");
    }

    /// <summary>Every service that touches storage gets the same root, as Distribution's variable names it.</summary>
    public static IResourceBuilder<ProjectResource> WithRegistryStorage(this IResourceBuilder<ProjectResource> project, AppHostSettings settings) =>
        project.WithEnvironment(StorageRootVariable, Path.Combine(settings.DataDirectory, "storage"));
}
