using Grpc.Core;
using RegistryCloud.Configuration;
using RegistryCloud.Events;
using RegistryCloud.Hosting;
using RegistryCloud.ManifestService.Catalog;
using RegistryCloud.ManifestService.Grpc;
using RegistryCloud.ManifestService.Manifests;
using RegistryCloud.ManifestService.Referrers;
using RegistryCloud.ManifestService.Tags;
using RegistryCloud.Oci;
using RegistryCloud.Proxy;

namespace RegistryCloud.ManifestService.Apis;

/// <summary>
/// Dispatches manifest, tag and catalog paths with the shared OCI path parser: repository names
/// hold '/', which route templates cannot express.
/// </summary>
internal static partial class ManifestApiRouter
{
    public static IEndpointConventionBuilder MapManifestRoutes(this IEndpointRouteBuilder app) =>
        app.Map("/v2/{**path}", async context =>
        {
            IResult result;
            try
            {
                result = await DispatchAsync(context);
            }
            catch (RpcException e) when (!context.RequestAborted.IsCancellationRequested)
            {
                // BlobService said no, or could not be reached: a domain error, not a crash.
                LogBlobServiceError(context.RequestServices.GetRequiredService<ILogger<ManifestStore>>(), e.StatusCode, e.Status.Detail);
                result = OciResults.Error(GrpcErrors.ToOciCode(e.StatusCode), e.Status.Detail);
            }

            await result.ExecuteAsync(context);
        });

    private static Task<IResult> DispatchAsync(HttpContext context)
    {
        var route = OciPathParser.Parse(context.Request.Path.Value);
        var services = context.RequestServices;
        var method = context.Request.Method;
        if (route.Kind == OciRouteKind.Catalog)
        {
            return HttpMethods.IsGet(method)
                ? CatalogApi.ListAsync(context, services.GetRequiredService<RepositoryCatalog>(), services.GetRequiredService<RegistryConfiguration>())
                : Unsupported(method);
        }

        if (route.Kind is not (OciRouteKind.Manifest or OciRouteKind.TagsList or OciRouteKind.Referrers))
        {
            return Task.FromResult<IResult>(OciResults.Error(OciErrorCode.NotFound, "not a manifest, tag, referrers or catalog path"));
        }

        if (!route.NameIsValid)
        {
            return Task.FromResult<IResult>(OciResults.Error(OciErrorCode.NameInvalid, $"invalid repository name '{route.Name}'"));
        }

        // A pull-through cache is read-only, as Distribution's is: its content is the upstream's.
        if (route.Kind == OciRouteKind.Manifest && (HttpMethods.IsPut(method) || HttpMethods.IsDelete(method))
            && services.GetRequiredService<ProxyRoutes>().Resolve(route.Name) is { } proxied)
        {
            return Task.FromResult<IResult>(OciResults.Error(
                OciErrorCode.Unsupported, $"'{route.Name}' is a pull-through cache of {proxied.Upstream.BaseUri}; pushes and deletes are not supported"));
        }

        // A push or delete whose event could not be stored is refused before anything changes.
        if (route.Kind == OciRouteKind.Manifest && (HttpMethods.IsPut(method) || HttpMethods.IsDelete(method))
            && context.RefuseChangeWithoutEventStore() is { } unavailable)
        {
            return Task.FromResult<IResult>(unavailable);
        }

        return route.Kind switch
        {
            OciRouteKind.Manifest when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) =>
                ManifestsApi.GetAsync(context, route, services.GetRequiredService<ManifestStore>()),
            OciRouteKind.Manifest when HttpMethods.IsPut(method) =>
                ManifestsApi.PutAsync(
                    context,
                    route,
                    services.GetRequiredService<ManifestStore>(),
                    services.GetRequiredService<ReferrerStore>(),
                    services.GetRequiredService<LayerUrlPolicy>()),
            OciRouteKind.Manifest when HttpMethods.IsDelete(method) =>
                ManifestsApi.DeleteAsync(
                    context,
                    route,
                    services.GetRequiredService<ManifestStore>(),
                    services.GetRequiredService<TagStore>(),
                    services.GetRequiredService<ReferrerStore>(),
                    services.GetRequiredService<RegistryStorageOptions>()),
            OciRouteKind.TagsList when HttpMethods.IsGet(method) =>
                TagsApi.ListAsync(context, route, services.GetRequiredService<TagStore>(), services.GetRequiredService<RegistryConfiguration>()),
            OciRouteKind.Referrers when HttpMethods.IsGet(method) =>
                ReferrersApi.ListAsync(context, route, services.GetRequiredService<ReferrerStore>()),
            _ => Unsupported(method),
        };
    }

    private static Task<IResult> Unsupported(string method) =>
        Task.FromResult<IResult>(OciResults.Error(OciErrorCode.Unsupported, $"{method} is not supported here"));

    [LoggerMessage(Level = LogLevel.Warning, Message = "BlobService answered {StatusCode}: {Detail}")]
    private static partial void LogBlobServiceError(ILogger logger, StatusCode statusCode, string detail);
}
