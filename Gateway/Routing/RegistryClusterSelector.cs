using Microsoft.AspNetCore.Http.Features;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;

namespace RegistryCloud.Gateway.Routing;

/// <summary>
/// A step of the proxy pipeline: the one route <c>/v2/{**rest}</c> goes to ManifestService
/// unless the shared OCI path parser says the path is a blob or upload, which go to
/// BlobService. Repository names hold '/', so no route template can tell them apart. Names were
/// checked before authentication (<see cref="RepositoryNameCheck"/>), so no service sees an invalid one.
/// </summary>
internal static class RegistryClusterSelector
{
    public const string BlobsClusterId = "blobs";

    /// <summary>The cluster of the one route (appsettings.json): ManifestService.</summary>
    public const string ManifestsClusterId = "manifests";

    public static async Task SelectAsync(HttpContext context, Func<Task> next)
    {
        if (ConsoleRoute.IsConsole(context))
        {
            await next();
            return;
        }

        var route = OciPathParser.Parse(context.Request.Path.Value);
        if (route.Kind is OciRouteKind.None or OciRouteKind.Base)
        {
            // The base path itself is answered by BaseApi for GET and HEAD; nothing else lives here.
            await OciErrorResult.WriteAsync(context.Response, OciErrorCode.NotFound, "not a registry API path");
            return;
        }

        if (route.IsBlobRoute)
        {
            var lookup = context.RequestServices.GetRequiredService<IProxyStateLookup>();
            if (!lookup.TryGetCluster(BlobsClusterId, out var blobs))
            {
                await OciErrorResult.WriteAsync(context.Response, OciErrorCode.Unavailable, "blob service is not configured");
                return;
            }

            context.ReassignProxyRequest(blobs);

            // Blob bodies stream through at any size; every other body keeps Kestrel's limit.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }
        }

        await next();

        if (context.GetForwarderErrorFeature() is not { } failure || context.Response.HasStarted)
        {
            return;
        }

        if (failure.Error == ForwarderError.RequestBodyClient)
        {
            // The client's own body failed (malformed, cut off, too slow): its fault, answered as the
            // services answer it, with Kestrel's status (400, 408 too slow, 413 too large).
            var status = (failure.Exception as BadHttpRequestException)?.StatusCode ?? StatusCodes.Status400BadRequest;
            await OciErrorResult.WriteAsync(
                context.Response, OciErrorCode.SizeInvalid with { Status = status }, failure.Exception?.Message ?? "the request body could not be read");
            return;
        }

        // A destination that could not be reached still answers with an OCI error body.
        await OciErrorResult.WriteAsync(context.Response, OciErrorCode.Unavailable, $"upstream {failure.Error}");
    }
}
