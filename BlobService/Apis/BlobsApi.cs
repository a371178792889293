using Microsoft.Net.Http.Headers;
using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Extensions;
using RegistryCloud.BlobService.Proxy;
using RegistryCloud.Configuration;
using RegistryCloud.Events;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Proxy;

namespace RegistryCloud.BlobService.Apis;

/// <summary><c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: GET, HEAD and DELETE (OCI spec: pulling blobs, deleting blobs).</summary>
internal static class BlobsApi
{
    /// <summary>
    /// How long a redirect's signed URL is good for: it is checked when the client's request
    /// reaches the storage, so it needs only cover the hop there (Distribution's s3 uses 20 min).
    /// </summary>
    public static readonly TimeSpan RedirectExpiry = TimeSpan.FromMinutes(20);

    public static async Task<IResult> GetAsync(HttpContext context, OciRoute route, BlobStore blobs, bool redirectDisabled, ProxyRoutes proxies)
    {
        if (!Digest.TryParse(route.Argument, out var digest))
        {
            return OciResults.Error(OciErrorCode.DigestInvalid, $"invalid digest '{route.Argument}'");
        }

        var cancellationToken = context.RequestAborted;
        var descriptor = await blobs.StatAsync(route.Name, digest, cancellationToken);
        if (descriptor is null && proxies.Resolve(route.Name) is { } target)
        {
            // A proxied repository: fetched (and streamed) or linked, then served as any other.
            if (await context.RequestServices.GetRequiredService<BlobProxy>().PullAsync(context, route.Name, target, digest) is { } answered)
            {
                return answered;
            }

            descriptor = await blobs.StatAsync(route.Name, digest, cancellationToken);
        }
        else if (descriptor is not null && proxies.Enabled && proxies.Resolve(route.Name) is { } cached)
        {
            context.RequestServices.GetRequiredService<ProxyMetrics>().Hit(cached.Upstream, BlobProxy.Kind);
        }

        if (descriptor is null)
        {
            return OciResults.Error(OciErrorCode.BlobUnknown, digest.ToString());
        }

        // A cache entry can outlive the bytes (the collector or the scrub removed them on another
        // replica): the file decides, and a stale entry is forgotten rather than answered with 500.
        var path = blobs.LocalFile(digest);
        if (path is not null && !File.Exists(path))
        {
            await blobs.ForgetAsync(route.Name, digest, cancellationToken);
            return OciResults.Error(OciErrorCode.BlobUnknown, digest.ToString());
        }

        await context.BlobPulledAsync(route.Name, digest, descriptor.Size);

        var headers = context.Response.Headers;
        headers["Docker-Content-Digest"] = digest.ToString();

        // Object storage sends the bytes itself: a GET goes there by a short-lived signed URL
        // (storage.redirect.disable keeps the bytes on this path); a HEAD is answered here.
        if (!redirectDisabled && HttpMethods.IsGet(context.Request.Method)
            && await blobs.DownloadUrlAsync(digest, RedirectExpiry, cancellationToken) is { } url)
        {
            return Results.Redirect(url.AbsoluteUri, permanent: false, preserveMethod: true);
        }

        // Content never changes under a digest.
        headers.CacheControl = "max-age=31536000";
        var etag = new EntityTagHeaderValue($"\"{digest}\"");

        // Range, If-None-Match and HEAD are the file result's own work; FileBodyFeature sends the
        // bytes, or hands the range to the gateway when it offered to send it.
        if (path is not null)
        {
            FileBodyFeature.Install(context, RegistryPaths.BlobData(digest));
            return Results.File(path, MediaTypes.OctetStream, enableRangeProcessing: true, entityTag: etag);
        }

        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.ContainsKey(BlobFileHandoff.AcceptHeader))
        {
            // The gateway reads the object itself; the bytes must still be there for it to find.
            if (!await blobs.ExistsInStorageAsync(digest, cancellationToken))
            {
                await blobs.ForgetAsync(route.Name, digest, cancellationToken);
                return OciResults.Error(OciErrorCode.BlobUnknown, digest.ToString());
            }

            var handoff = new HandoffStream(context.Response, RegistryPaths.BlobData(digest), descriptor.Size, context.RequestServices.GetRequiredService<BlobServiceMetrics>());
            return Results.Stream(handoff, MediaTypes.OctetStream, enableRangeProcessing: true, entityTag: etag);
        }

        var stream = await blobs.OpenReadAsync(digest, 0, cancellationToken);
        if (stream is null)
        {
            await blobs.ForgetAsync(route.Name, digest, cancellationToken);
            return OciResults.Error(OciErrorCode.BlobUnknown, digest.ToString());
        }

        return Results.Stream(stream, MediaTypes.OctetStream, enableRangeProcessing: true, entityTag: etag);
    }

    public static async Task<IResult> DeleteAsync(HttpContext context, OciRoute route, BlobStore blobs, RegistryStorageOptions options)
    {
        if (!options.DeleteEnabled)
        {
            return OciResults.Error(OciErrorCode.Unsupported, "deletes are disabled (storage.delete.enabled)");
        }

        if (!Digest.TryParse(route.Argument, out var digest))
        {
            return OciResults.Error(OciErrorCode.DigestInvalid, $"invalid digest '{route.Argument}'");
        }

        if (!await blobs.UnlinkAsync(route.Name, digest, context.RequestAborted))
        {
            return OciResults.Error(OciErrorCode.BlobUnknown, digest.ToString());
        }

        if (await context.BlobDeletedAsync(route.Name, digest) is { } unavailable)
        {
            return unavailable;
        }

        context.Response.Headers["Docker-Content-Digest"] = digest.ToString();
        context.Response.ContentLength = 0;
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }
}
