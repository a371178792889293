using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Uploads;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Lifecycle.Quotas;
using RegistryCloud.Configuration;
using RegistryCloud.Events;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;
using RegistryCloud.Proxy;

namespace RegistryCloud.BlobService.Apis;

/// <summary>
/// Dispatches <c>/v2/...</c> blob paths with the shared OCI path parser: repository names hold
/// '/', which route templates cannot express.
/// </summary>
internal static partial class BlobApiRouter
{
    public static IEndpointConventionBuilder MapBlobRoutes(this IEndpointRouteBuilder app) =>
        app.Map("/v2/{**path}", async context =>
        {
            IResult result;
            try
            {
                result = await DispatchAsync(context);
            }
            catch (GcCoordinatorUnavailableException e) when (!context.RequestAborted.IsCancellationRequested)
            {
                // A mount records what it relies on for the collector first; without the record it must not link.
                LogGcRecordsUnavailable(context.RequestServices.GetRequiredService<ILogger<BlobStore>>(), e.Message);
                result = OciResults.Error(OciErrorCode.Unavailable, "the garbage collector's record store (Redis) is unavailable; try again");
            }

            await result.ExecuteAsync(context);
        });

    private static Task<IResult> DispatchAsync(HttpContext context)
    {
        var route = OciPathParser.Parse(context.Request.Path.Value);
        if (!route.IsBlobRoute)
        {
            return Task.FromResult<IResult>(OciResults.Error(OciErrorCode.NotFound, "not a blob path"));
        }

        if (!route.NameIsValid)
        {
            return Task.FromResult<IResult>(OciResults.Error(OciErrorCode.NameInvalid, $"invalid repository name '{route.Name}'"));
        }

        var services = context.RequestServices;
        var method = context.Request.Method;

        // A pull-through cache is read-only, as Distribution's is: its content is the upstream's.
        if (route.Kind != OciRouteKind.Blob || !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method)))
        {
            if (services.GetRequiredService<ProxyRoutes>().Resolve(route.Name) is { } proxied)
            {
                return Task.FromResult<IResult>(OciResults.Error(
                    OciErrorCode.Unsupported, $"'{route.Name}' is a pull-through cache of {proxied.Upstream.BaseUri}; pushes and deletes are not supported"));
            }
        }

        if (IsChange(route.Kind, method) && context.RefuseChangeWithoutEventStore() is { } unavailable)
        {
            return Task.FromResult<IResult>(unavailable);
        }

        return route.Kind switch
        {
            OciRouteKind.Blob when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) =>
                BlobsApi.GetAsync(
                    context, route, services.GetRequiredService<BlobStore>(), services.GetRequiredService<RegistryConfiguration>().Storage.RedirectDisabled,
                    services.GetRequiredService<ProxyRoutes>()),
            OciRouteKind.Blob when HttpMethods.IsDelete(method) =>
                BlobsApi.DeleteAsync(context, route, services.GetRequiredService<BlobStore>(), services.GetRequiredService<RegistryStorageOptions>()),
            OciRouteKind.UploadStart when HttpMethods.IsPost(method) =>
                UploadsApi.StartAsync(
                    context, route, services.GetRequiredService<UploadStore>(), services.GetRequiredService<BlobStore>(), services.GetRequiredService<GcUses>(),
                    services.GetRequiredService<RepositoryQuotas>()),
            OciRouteKind.Upload when HttpMethods.IsGet(method) =>
                UploadsApi.StatusAsync(context, route, services.GetRequiredService<UploadStore>()),
            OciRouteKind.Upload when HttpMethods.IsPatch(method) =>
                UploadsApi.PatchAsync(context, route, services.GetRequiredService<UploadStore>(), services.GetRequiredService<RepositoryQuotas>()),
            OciRouteKind.Upload when HttpMethods.IsPut(method) =>
                UploadsApi.PutAsync(context, route, services.GetRequiredService<UploadStore>(), services.GetRequiredService<RepositoryQuotas>()),
            OciRouteKind.Upload when HttpMethods.IsDelete(method) =>
                UploadsApi.CancelAsync(context, route, services.GetRequiredService<UploadStore>()),
            _ => Task.FromResult<IResult>(OciResults.Error(OciErrorCode.Unsupported, $"{method} is not supported here")),
        };
    }

    /// <summary>
    /// A request that ends in a change with an event: a delete, an upload's start (its monolithic
    /// push or mount, or a session that can only end in a push) and its commit. A PATCH changes
    /// nothing a client sees, and a session's cancel has no event.
    /// </summary>
    private static bool IsChange(OciRouteKind kind, string method) => kind switch
    {
        OciRouteKind.Blob => HttpMethods.IsDelete(method),
        OciRouteKind.UploadStart => HttpMethods.IsPost(method),
        OciRouteKind.Upload => HttpMethods.IsPut(method),
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A mount was refused: {Reason}")]
    private static partial void LogGcRecordsUnavailable(ILogger logger, string reason);
}
