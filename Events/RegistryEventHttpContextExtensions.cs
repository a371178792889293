using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.Events;

/// <summary>
/// One call per registry action for the HTTP handlers. A change answers null once its event is
/// stored, or the error to answer instead (see <see cref="RegistryEventRecorder"/>); a pull
/// never fails. Without events configured every call is a no-op that allocates nothing.
/// </summary>
public static class RegistryEventHttpContextExtensions
{
    private static readonly Task<OciErrorResult?> Stored = Task.FromResult<OciErrorResult?>(null);

    public static Task<OciErrorResult?> BlobPushedAsync(this HttpContext context, string repository, Digest digest, long size) =>
        Recorder(context) is { } recorder
            ? Change(recorder, recorder.Factory.BlobPushed(Origin(context, recorder), repository, digest, size))
            : Stored;

    /// <summary>A GET that serves the blob; HEAD is not a pull (nothing is transferred).</summary>
    public static Task BlobPulledAsync(this HttpContext context, string repository, Digest digest, long size) =>
        HttpMethods.IsGet(context.Request.Method) && Recorder(context) is { } recorder
            ? recorder.RecordPullAsync(recorder.Factory.BlobPulled(Origin(context, recorder), repository, digest, size), context.RequestAborted)
            : Task.CompletedTask;

    public static Task<OciErrorResult?> BlobMountedAsync(this HttpContext context, string repository, Digest digest, long size, string? fromRepository) =>
        Recorder(context) is { } recorder
            ? Change(recorder, recorder.Factory.BlobMounted(Origin(context, recorder), repository, digest, size, fromRepository))
            : Stored;

    public static Task<OciErrorResult?> BlobDeletedAsync(this HttpContext context, string repository, Digest digest) =>
        Recorder(context) is { } recorder
            ? Change(recorder, recorder.Factory.BlobDeleted(Origin(context, recorder), repository, digest))
            : Stored;

    /// <summary>
    /// One push event per tag the request named (the reference, or <c>?tag=</c> on a digest
    /// PUT), or one without a tag. <paramref name="references"/> is only read when
    /// <c>notifications.events.includereferences</c> is on.
    /// </summary>
    public static async Task<OciErrorResult?> ManifestPushedAsync(
        this HttpContext context, string repository, string mediaType, Digest digest, long size, IReadOnlyList<string> tags, IEnumerable<EventDescriptor>? references)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (Recorder(context) is not { } recorder)
        {
            return null;
        }

        var origin = Origin(context, recorder);
        IReadOnlyList<EventDescriptor>? included = recorder.Factory.Options.IncludeReferences && references is not null ? [.. references] : null;
        string?[] named = tags.Count == 0 ? [null] : [.. tags];
        foreach (var tag in named)
        {
            var pushed = recorder.Factory.ManifestPushed(origin, repository, mediaType, digest, size, tag, included);
            if (await Change(recorder, pushed) is { } unavailable)
            {
                return unavailable;
            }
        }

        return null;
    }

    /// <summary>A GET that serves the manifest (by tag: with the tag); HEAD is not a pull.</summary>
    public static Task ManifestPulledAsync(this HttpContext context, string repository, string mediaType, Digest digest, long size, string? tag) =>
        HttpMethods.IsGet(context.Request.Method) && Recorder(context) is { } recorder
            ? recorder.RecordPullAsync(recorder.Factory.ManifestPulled(Origin(context, recorder), repository, mediaType, digest, size, tag, references: null), context.RequestAborted)
            : Task.CompletedTask;

    /// <summary>A delete by digest: a tag delete for each tag it removed, then the manifest delete.</summary>
    public static async Task<OciErrorResult?> ManifestDeletedAsync(this HttpContext context, string repository, Digest digest, IEnumerable<string> untagged)
    {
        ArgumentNullException.ThrowIfNull(untagged);
        if (Recorder(context) is not { } recorder)
        {
            return null;
        }

        var origin = Origin(context, recorder);
        foreach (var tag in untagged)
        {
            if (await Change(recorder, recorder.Factory.TagDeleted(origin, repository, tag)) is { } unavailable)
            {
                return unavailable;
            }
        }

        return await Change(recorder, recorder.Factory.ManifestDeleted(origin, repository, digest));
    }

    public static Task<OciErrorResult?> TagDeletedAsync(this HttpContext context, string repository, string tag) =>
        Recorder(context) is { } recorder
            ? Change(recorder, recorder.Factory.TagDeleted(Origin(context, recorder), repository, tag))
            : Stored;

    /// <summary>
    /// Before a change (a push, mount or delete) is made: the error to refuse it with while the
    /// event store is known to be out of reach, so a refused change leaves nothing behind; null
    /// when it may go ahead (or no events are configured).
    /// </summary>
    public static OciErrorResult? RefuseChangeWithoutEventStore(this HttpContext context) =>
        Recorder(context)?.RefuseChangeWhileUnreachable();

    private static RegistryEventRecorder? Recorder(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetService<RegistryEventRecorder>() is { IsEnabled: true } recorder ? recorder : null;
    }

    private static EventOrigin Origin(HttpContext context, RegistryEventRecorder recorder) =>
        EventOrigin.From(context, recorder.Factory.InstanceId, recorder.Factory.Options);

    // The change has happened: its event is stored even if the client has gone meanwhile, so the
    // request's token is not used (Redis' own timeouts bound the wait).
    private static Task<OciErrorResult?> Change(RegistryEventRecorder recorder, RegistryEvent registryEvent) =>
        recorder.RecordChangeAsync(registryEvent, CancellationToken.None);
}
