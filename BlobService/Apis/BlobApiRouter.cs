using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Uploads;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Lifecycle.Quotas;
using RegistryCloud.Configuration;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.BlobService.Apis;

/// <summary>
/// Dispatches <c>/v2/...</c> blob paths with the shared OCI path parser: repository names hold
/// '/', which route templates cannot express.
/// </summary>
internal static class BlobApiRouter
{
    public static IEndpointConventionBuilder MapBlobRoutes(this IEndpointRouteBuilder app) =>
        app.Map("/v2/{**path}", async context =>
        {
            var result = await DispatchAsync(context);
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
        return route.Kind switch
        {
            OciRouteKind.Blob when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) =>
                BlobsApi.GetAsync(
                    context, route, services.GetRequiredService<BlobStore>(), services.GetRequiredService<RegistryConfiguration>().Storage.RedirectDisabled),
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
}
