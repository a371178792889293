using Microsoft.AspNetCore.Http.Features;
using RegistryCloud.Configuration;
using RegistryCloud.Events;
using RegistryCloud.Hosting;
using RegistryCloud.Lifecycle.Quotas;
using RegistryCloud.ManifestService.Manifests;
using RegistryCloud.ManifestService.Proxy;
using RegistryCloud.ManifestService.Referrers;
using RegistryCloud.ManifestService.Tags;
using RegistryCloud.Oci;
using RegistryCloud.Proxy;

namespace RegistryCloud.ManifestService.Apis;

/// <summary>
/// <c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>: GET, HEAD, PUT and DELETE (OCI spec:
/// pulling, pushing and deleting manifests). Bytes are stored and served exactly as pushed.
/// </summary>
internal static class ManifestsApi
{
    /// <summary>
    /// What a read from storage may return: the ceiling, not the configured limit, so a manifest
    /// accepted before an operator lowered <c>manifests.maxsize</c> is still served.
    /// </summary>
    private const int MaxStoredManifestSize = RegistryConfiguration.MaximumManifestsMaxSize;

    /// <summary><c>manifests.maxsize</c>: at least the 4 MiB the OCI spec asks registries to accept.</summary>
    private static int MaxManifestSize(HttpContext context) =>
        context.RequestServices.GetRequiredService<RegistryConfiguration>().ManifestsMaxSize;

    public static async Task<IResult> GetAsync(HttpContext context, OciRoute route, ManifestStore manifests)
    {
        var cancellationToken = context.RequestAborted;
        if (Reference.TryParse(route.Argument, out var reference) != ReferenceParseResult.Ok)
        {
            // A reference that is neither a tag nor a digest names no manifest that could exist:
            // a pull of it is a miss, as the OCI conformance suite expects (404 for
            // ".INVALID_MANIFEST_NAME"). Only a push of one is a malformed request (400).
            return OciResults.Error(OciErrorCode.ManifestUnknown, $"'{route.Argument}' is neither a tag nor a digest");
        }

        // A proxied repository's storage is made current first; the pull is then answered from it.
        if (context.RequestServices.GetRequiredService<ProxyRoutes>().Resolve(route.Name) is { } target)
        {
            try
            {
                await context.RequestServices.GetRequiredService<ManifestProxy>().RefreshAsync(route.Name, target, reference, MaxManifestSize(context), cancellationToken);
            }
            catch (UpstreamException e)
            {
                return UpstreamErrorResults.For(context, e);
            }
        }

        var digest = reference.IsDigest ? reference.Digest : await manifests.ResolveTagAsync(route.Name, reference.Tag!, cancellationToken);
        if (digest is not { } resolved)
        {
            return OciResults.Error(OciErrorCode.ManifestUnknown, $"unknown tag '{reference.Tag}'");
        }

        var content = await manifests.ReadAsync(route.Name, resolved, MaxStoredManifestSize, cancellationToken);
        if (content is null)
        {
            return OciResults.Error(OciErrorCode.ManifestUnknown, resolved.ToString());
        }

        var mediaType = ManifestMediaType.Detect(content);
        switch (ManifestNegotiation.Decide(context.Request.Headers.Accept, mediaType, byTag: !reference.IsDigest))
        {
            case NegotiationOutcome.NotAcceptable:
                return OciResults.Error(OciErrorCode.ManifestUnknown, $"{mediaType} found, but the Accept header does not include it");
            case NegotiationOutcome.ServePlatformChild:
                if (ManifestNegotiation.PlatformChild(content) is not { } child
                    || await manifests.ReadAsync(route.Name, child, MaxStoredManifestSize, cancellationToken) is not { } childContent)
                {
                    return OciResults.Error(OciErrorCode.ManifestUnknown, "the manifest list has no linux/amd64 image for a client that cannot read lists");
                }

                resolved = child;
                content = childContent;
                mediaType = ManifestMediaType.Detect(content);
                break;
        }

        var headers = context.Response.Headers;
        headers["Docker-Content-Digest"] = resolved.ToString();
        headers.ETag = $"\"{resolved}\"";
        if (IfNoneMatch(context.Request, resolved))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.ContentType = mediaType;
            context.Response.ContentLength = content.Length;
            return Results.Empty;
        }

        await context.ManifestPulledAsync(route.Name, mediaType, resolved, content.Length, reference.Tag);
        context.RequestServices.GetRequiredService<PullTimes>().Record(route.Name, reference.Tag, resolved);
        return Results.Bytes(content, mediaType);
    }

    public static async Task<IResult> PutAsync(
        HttpContext context,
        OciRoute route,
        ManifestStore manifests,
        ReferrerStore referrers,
        LayerUrlPolicy urls)
    {
        var cancellationToken = context.RequestAborted;
        if (ParseReference(route.Argument, out var reference) is { } invalid)
        {
            return invalid;
        }

        // A digest PUT may tag in the same call: ?tag=a&tag=b.
        var tags = new List<string>();
        if (reference.Tag is not null)
        {
            tags.Add(reference.Tag);
        }

        foreach (var tag in context.Request.Query["tag"])
        {
            if (!Tag.IsValid(tag))
            {
                return OciResults.Error(OciErrorCode.TagInvalid, $"invalid tag '{tag}'");
            }

            tags.Add(tag);
        }

        var body = await ReadBodyAsync(context, cancellationToken);
        if (body is null)
        {
            return OciResults.Error(OciErrorCode.ManifestTooLarge, $"manifests are limited to {MaxManifestSize(context)} bytes");
        }

        var digest = Digest.Compute(body, reference.IsDigest ? reference.Digest.Algorithm : Digest.Sha256);
        if (reference.IsDigest && digest != reference.Digest)
        {
            return OciResults.Error(OciErrorCode.DigestInvalid, $"manifest digest {digest} does not match {reference.Digest}");
        }

        if (!ManifestParser.TryParse(body, context.Request.ContentType, out var document, out var error))
        {
            return OciResults.Error(OciErrorCode.ManifestInvalid, error);
        }

        if (urls.Check(document!) is { } refused)
        {
            return OciResults.Error(OciErrorCode.ManifestInvalid, refused);
        }

        if (await MovesImmutableTagAsync(context, route.Name, tags, digest) is { } denied)
        {
            return denied;
        }

        // A manifest's bytes count against the repository's quota like its layers' (policies.quotas).
        var quotas = context.RequestServices.GetRequiredService<RepositoryQuotas>();
        var quota = await quotas.CheckAsync(route.Name, body.Length, digest, cancellationToken);
        if (quota.Denied is { } overQuota)
        {
            return OciResults.Denied(overQuota);
        }

        var missing = await manifests.PutAsync(route.Name, digest, body, document!, tags, cancellationToken);
        if (missing.Count > 0)
        {
            return OciResults.Error(OciErrorCode.ManifestBlobUnknown, $"unknown to repository '{route.Name}': {string.Join(", ", missing)}");
        }

        quotas.Added(route.Name, quota);

        var headers = context.Response.Headers;
        headers.Location = $"/v2/{route.Name}/manifests/{digest}";
        headers["Docker-Content-Digest"] = digest.ToString();
        if (document!.Subject is { } subject)
        {
            // The subject need not exist (OCI 1.1); the referrer is listed under it either way.
            var referrer = new ReferrerDescriptor(document.MediaType, digest.ToString(), body.Length, document.EffectiveArtifactType, document.Annotations);
            await referrers.AddAsync(route.Name, subject.Digest, referrer, cancellationToken);
            headers["OCI-Subject"] = subject.Digest.ToString();
        }

        var references = document.Blobs.Concat(document.Manifests).Select(d => new EventDescriptor { MediaType = d.MediaType, Size = d.Size, Digest = d.Digest.ToString() });
        if (await context.ManifestPushedAsync(route.Name, document.MediaType, digest, body.Length, tags, references) is { } unavailable)
        {
            return unavailable;
        }

        context.Response.ContentLength = 0;
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    /// <summary>
    /// DELETE by digest removes the revision and every tag pointing at it; DELETE by tag removes
    /// only that tag (OCI spec: deleting tags, deleting manifests).
    /// </summary>
    public static async Task<IResult> DeleteAsync(
        HttpContext context,
        OciRoute route,
        ManifestStore manifests,
        TagStore tags,
        ReferrerStore referrers,
        RegistryStorageOptions options)
    {
        if (!options.DeleteEnabled)
        {
            return OciResults.Error(OciErrorCode.Unsupported, "deletes are disabled (storage.delete.enabled)");
        }

        if (ParseReference(route.Argument, out var reference) is { } invalid)
        {
            return invalid;
        }

        var cancellationToken = context.RequestAborted;
        var immutable = context.RequestServices.GetRequiredService<ImmutableTags>();
        if (!reference.IsDigest)
        {
            if (immutable.RuleFor(route.Name, reference.Tag!) is { } rule)
            {
                return OciResults.Denied($"tag '{reference.Tag}' of {route.Name} is immutable ({rule}); it cannot be deleted");
            }

            return await tags.DeleteAsync(route.Name, reference.Tag!, cancellationToken)
                ? await context.TagDeletedAsync(route.Name, reference.Tag!) ?? Accepted(context)
                : OciResults.Error(OciErrorCode.ManifestUnknown, $"unknown tag '{reference.Tag}'");
        }

        var content = await manifests.ReadAsync(route.Name, reference.Digest, MaxStoredManifestSize, cancellationToken);
        if (content is null)
        {
            return OciResults.Error(OciErrorCode.ManifestUnknown, reference.Digest.ToString());
        }

        if (ManifestParser.TryParse(content, ManifestMediaType.Detect(content), out var document, out _) && document!.Subject is { } subject)
        {
            await referrers.RemoveAsync(route.Name, subject.Digest, reference.Digest, cancellationToken);
        }

        var untagged = await tags.FindByDigestAsync(route.Name, reference.Digest, cancellationToken);
        foreach (var tag in untagged)
        {
            if (immutable.RuleFor(route.Name, tag) is { } rule)
            {
                return OciResults.Denied($"{reference.Digest} is tagged '{tag}', which is immutable ({rule}); it cannot be deleted");
            }
        }

        foreach (var tag in untagged)
        {
            await tags.DeleteAsync(route.Name, tag, cancellationToken);
        }

        await manifests.DeleteRevisionAsync(route.Name, reference.Digest, cancellationToken);
        return await context.ManifestDeletedAsync(route.Name, reference.Digest, untagged) ?? Accepted(context);
    }

    /// <summary>A refusal when a tag of the push is immutable and points at another manifest already.</summary>
    private static async Task<IResult?> MovesImmutableTagAsync(HttpContext context, string repository, IReadOnlyList<string> tags, Digest digest)
    {
        var immutable = context.RequestServices.GetRequiredService<ImmutableTags>();
        var store = context.RequestServices.GetRequiredService<TagStore>();
        foreach (var tag in tags)
        {
            if (immutable.RuleFor(repository, tag) is { } rule
                && await store.ResolveAsync(repository, tag, context.RequestAborted) is { } current
                && current != digest)
            {
                return OciResults.Denied($"tag '{tag}' of {repository} is immutable ({rule}); it points at {current}");
            }
        }

        return null;
    }

    private static IResult Accepted(HttpContext context)
    {
        context.Response.ContentLength = 0;
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary>Distribution accepts the digest quoted or bare in <c>If-None-Match</c>; so do we, and <c>*</c>.</summary>
    private static bool IfNoneMatch(HttpRequest request, Digest digest)
    {
        var bare = digest.ToString();
        foreach (var value in request.Headers.IfNoneMatch)
        {
            foreach (var candidate in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var tag = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
                if (tag == "*" || tag.Trim('"') == bare)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static OciErrorResult? ParseReference(string text, out Reference reference) =>
        Reference.TryParse(text, out reference) switch
        {
            ReferenceParseResult.Ok => null,
            ReferenceParseResult.InvalidDigest => OciResults.Error(OciErrorCode.DigestInvalid, $"invalid digest '{text}'"),
            _ => OciResults.Error(OciErrorCode.TagInvalid, $"invalid tag '{text}'"),
        };

    /// <summary>The whole body, or null when it is over the manifest size limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var maxSize = MaxManifestSize(context);
        if (request.ContentLength > maxSize)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxSize + 1;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 16 * 1024);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxSize)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
