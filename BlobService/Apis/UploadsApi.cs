using Microsoft.AspNetCore.Http.Features;
using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Uploads;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Lifecycle.Quotas;
using RegistryCloud.Events;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.BlobService.Apis;

/// <summary>
/// <c>/v2/&lt;name&gt;/blobs/uploads/[&lt;id&gt;]</c>: every way of pushing a blob in the OCI spec
/// (monolithic POST, POST then PUT, chunked PATCH, streamed PATCH), cross-repository mounts,
/// upload status and cancel.
/// </summary>
internal static class UploadsApi
{
    public static async Task<IResult> StartAsync(HttpContext context, OciRoute route, UploadStore uploads, BlobStore blobs, GcUses uses, RepositoryQuotas quotas)
    {
        var query = context.Request.Query;
        var cancellationToken = context.RequestAborted;

        if (query.ContainsKey("mount"))
        {
            var mounted = await TryMountAsync(context, route.Name, query["mount"], query["from"], blobs, uses, quotas);
            if (mounted is not null)
            {
                return mounted;
            }
        }

        var monolithic = query.ContainsKey("digest");
        Digest digest = default;
        if (monolithic && !Digest.TryParse(query["digest"], out digest))
        {
            return OciResults.Error(OciErrorCode.DigestInvalid, $"invalid digest '{query["digest"]}'");
        }

        if (monolithic && await OverQuotaAsync(context, route.Name, quotas, alreadyReceived: 0, digest) is { } overQuota)
        {
            return overQuota;
        }

        var id = await uploads.StartAsync(route.Name, cancellationToken);
        if (monolithic)
        {
            // Monolithic upload: the whole blob in the POST body.
            AllowUnlimitedBody(context);
            var result = await uploads.CompleteAsync(route.Name, id, digest, context.Request.BodyReader, rangeStart: null, cancellationToken);
            return await CompletedAsync(context, route.Name, id, digest, result);
        }

        UploadHeaders.SetSession(context.Response, route.Name, id, 0);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    public static async Task<IResult> StatusAsync(HttpContext context, OciRoute route, UploadStore uploads)
    {
        if (await uploads.SizeAsync(route.Name, route.Argument, context.RequestAborted) is not { } size)
        {
            return OciResults.Error(OciErrorCode.BlobUploadUnknown, route.Argument);
        }

        UploadHeaders.SetSession(context.Response, route.Name, route.Argument, size);
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    public static async Task<IResult> PatchAsync(HttpContext context, OciRoute route, UploadStore uploads, RepositoryQuotas quotas)
    {
        if (!TryReadRangeStart(context.Request, out var rangeStart))
        {
            return OciResults.Error(OciErrorCode.RangeInvalid, $"invalid Content-Range '{context.Request.Headers.ContentRange}'");
        }

        if (await OverQuotaAsync(context, route.Name, quotas, uploads, route.Argument, digest: null) is { } overQuota)
        {
            return overQuota;
        }

        AllowUnlimitedBody(context);
        var result = await uploads.AppendAsync(route.Name, route.Argument, context.Request.BodyReader, rangeStart, context.RequestAborted);
        if (Refused(context, route.Name, route.Argument, result) is { } refused)
        {
            return refused;
        }

        UploadHeaders.SetSession(context.Response, route.Name, route.Argument, result.Size);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    public static async Task<IResult> PutAsync(HttpContext context, OciRoute route, UploadStore uploads, RepositoryQuotas quotas)
    {
        var digestText = context.Request.Query["digest"];
        if (!Digest.TryParse(digestText, out var digest))
        {
            return OciResults.Error(OciErrorCode.DigestInvalid, $"invalid or missing digest '{digestText}'");
        }

        if (!TryReadRangeStart(context.Request, out var rangeStart))
        {
            return OciResults.Error(OciErrorCode.RangeInvalid, $"invalid Content-Range '{context.Request.Headers.ContentRange}'");
        }

        if (await OverQuotaAsync(context, route.Name, quotas, uploads, route.Argument, digest) is { } overQuota)
        {
            return overQuota;
        }

        AllowUnlimitedBody(context);
        var body = HasBody(context.Request) ? context.Request.BodyReader : null;
        var result = await uploads.CompleteAsync(route.Name, route.Argument, digest, body, rangeStart, context.RequestAborted);
        return await CompletedAsync(context, route.Name, route.Argument, digest, result);
    }

    public static async Task<IResult> CancelAsync(HttpContext context, OciRoute route, UploadStore uploads)
    {
        var result = await uploads.CancelAsync(route.Name, route.Argument, context.RequestAborted);
        if (Refused(context, route.Name, route.Argument, result) is { } refused)
        {
            return refused;
        }

        context.Response.ContentLength = 0;
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    /// <summary>
    /// A quota's refusal of a body whose length the request declares, before any of it is stored:
    /// what the session already holds plus the body would take the repository past its quota. The
    /// session keeps what it had. A body of unknown length is weighed at the commit.
    /// </summary>
    private static async Task<IResult?> OverQuotaAsync(HttpContext context, string repository, RepositoryQuotas quotas, UploadStore uploads, string id, Digest? digest)
    {
        if (context.Request.ContentLength is not > 0 || !quotas.Applies(repository)
            || await uploads.SizeAsync(repository, id, context.RequestAborted) is not { } received)
        {
            return null;
        }

        return await OverQuotaAsync(context, repository, quotas, received, digest);
    }

    private static async Task<IResult?> OverQuotaAsync(HttpContext context, string repository, RepositoryQuotas quotas, long alreadyReceived, Digest? digest)
    {
        if (context.Request.ContentLength is not ({ } length and > 0) || !quotas.Applies(repository))
        {
            return null;
        }

        var decision = await quotas.CheckAsync(repository, alreadyReceived + length, digest, context.RequestAborted);
        return decision.Denied is { } denied ? OciResults.Denied(denied) : null;
    }

    private static async Task<IResult?> TryMountAsync(HttpContext context, string repository, string? mount, string? from, BlobStore blobs, GcUses uses, RepositoryQuotas quotas)
    {
        if (!Digest.TryParse(mount, out var digest))
        {
            return OciResults.Error(OciErrorCode.DigestInvalid, $"invalid mount digest '{mount}'");
        }

        if (!string.IsNullOrEmpty(from) && !RepositoryName.IsValid(from))
        {
            return OciResults.Error(OciErrorCode.NameInvalid, $"invalid repository name '{from}'");
        }

        // Only a repository the gateway let the caller pull from may give the blob: the one named by
        // `from`, or without it (OCI 1.1's mount without `from`) the target itself, which then
        // gains nothing. Searching other repositories would link (and reveal) blobs of repositories
        // the caller may not read. Whether it is there is storage's answer, not the cache's.
        var cancellationToken = context.RequestAborted;
        var sourceRepository = string.IsNullOrEmpty(from) ? repository : from;

        // Recorded before the check, as every write the garbage collector must not undercut is.
        await uses.RecordAsync(repository, [digest], cancellationToken);
        if (await blobs.StatStoredAsync(sourceRepository, digest, cancellationToken) is not { } source)
        {
            // Not mountable: the client falls back to the upload session opened instead.
            return null;
        }

        if (sourceRepository != repository)
        {
            var quota = await quotas.CheckAsync(repository, source.Size, digest, cancellationToken);
            if (quota.Denied is { } denied)
            {
                return OciResults.Denied(denied);
            }

            await blobs.LinkAsync(repository, source, cancellationToken);
            quotas.Added(repository, quota);
            if (await context.BlobMountedAsync(repository, digest, source.Size, from) is { } unavailable)
            {
                return unavailable;
            }
        }

        SetCreated(context.Response, repository, digest);
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private static async Task<IResult> CompletedAsync(HttpContext context, string repository, string id, Digest digest, UploadResult result)
    {
        if (Refused(context, repository, id, result) is { } refused)
        {
            return refused;
        }

        if (result.Status == UploadStatus.DigestInvalid)
        {
            return OciResults.Error(OciErrorCode.DigestInvalid, $"content does not match digest {digest}");
        }

        if (await context.BlobPushedAsync(repository, digest, result.Size) is { } unavailable)
        {
            return unavailable;
        }

        SetCreated(context.Response, repository, digest);
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    /// <summary>
    /// The answer to a request the session refused: unknown (never began, cancelled or already
    /// committed), another request holding it, or a chunk at the wrong offset. The last two carry
    /// the session's headers, so a client can ask where to resume.
    /// </summary>
    private static IResult? Refused(HttpContext context, string repository, string id, UploadResult result)
    {
        switch (result.Status)
        {
            case UploadStatus.Unknown:
                return OciResults.Error(OciErrorCode.BlobUploadUnknown, id);
            case UploadStatus.Busy:
                UploadHeaders.SetSession(context.Response, repository, id, result.Size);
                return OciResults.Error(OciErrorCode.RangeInvalid, $"another request is writing to upload {id}; nothing was changed, resume at offset {result.Size} once it ends");
            case UploadStatus.Denied:
                return OciResults.Denied(result.Message ?? "the repository's quota is reached");
            case UploadStatus.RangeInvalid:
                UploadHeaders.SetSession(context.Response, repository, id, result.Size);
                return OciResults.Error(OciErrorCode.RangeInvalid, $"chunk must start at offset {result.Size}");
            default:
                return null;
        }
    }

    private static void SetCreated(HttpResponse response, string repository, Digest digest)
    {
        response.Headers.Location = UploadHeaders.BlobLocation(repository, digest.ToString());
        response.Headers["Docker-Content-Digest"] = digest.ToString();
        response.ContentLength = 0;
    }

    private static bool TryReadRangeStart(HttpRequest request, out long? start)
    {
        start = null;
        var header = request.Headers.ContentRange.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return true;
        }

        if (!UploadHeaders.TryParseContentRange(header, out var first, out var last))
        {
            return false;
        }

        start = first;
        // The range must describe the body exactly.
        return request.ContentLength is not { } length || length == last - first + 1;
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    /// <summary>Blob bodies have no size limit; they stream to storage.</summary>
    private static void AllowUnlimitedBody(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
    }
}
