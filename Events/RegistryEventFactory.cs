using RegistryCloud.Oci;

namespace RegistryCloud.Events;

/// <summary>
/// Builds events with the fields Distribution's bridge.go gives each action:
/// blob push, pull and mount carry the blob's descriptor (<c>application/octet-stream</c>),
/// <c>length</c>, <c>repository</c> and <c>url</c>, a mount also <c>fromRepository</c>;
/// manifest push and pull carry the manifest's descriptor, <c>length</c>, <c>repository</c>,
/// <c>url</c> and the <c>tag</c> when the client named one (and <c>references</c> when
/// configured); a blob or manifest delete carries only <c>repository</c> and <c>digest</c>;
/// a tag delete only <c>repository</c> and <c>tag</c>.
/// </summary>
public sealed class RegistryEventFactory(TimeProvider time, RegistryEventsOptions options)
{
    /// <summary>This process's <c>source.instanceID</c>: new at every start, as Distribution's.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString();

    public RegistryEventsOptions Options => options;

    public RegistryEvent BlobPushed(EventOrigin origin, string repository, Digest digest, long size) =>
        Blob(origin, EventActions.Push, repository, digest, size, fromRepository: null);

    public RegistryEvent BlobPulled(EventOrigin origin, string repository, Digest digest, long size) =>
        Blob(origin, EventActions.Pull, repository, digest, size, fromRepository: null);

    public RegistryEvent BlobMounted(EventOrigin origin, string repository, Digest digest, long size, string? fromRepository) =>
        Blob(origin, EventActions.Mount, repository, digest, size, fromRepository);

    public RegistryEvent BlobDeleted(EventOrigin origin, string repository, Digest digest) =>
        Create(origin, EventActions.Delete, new EventTarget { Digest = digest.ToString(), Repository = repository });

    public RegistryEvent ManifestPushed(EventOrigin origin, string repository, string mediaType, Digest digest, long size, string? tag, IReadOnlyList<EventDescriptor>? references) =>
        Manifest(origin, EventActions.Push, repository, mediaType, digest, size, tag, references);

    public RegistryEvent ManifestPulled(EventOrigin origin, string repository, string mediaType, Digest digest, long size, string? tag, IReadOnlyList<EventDescriptor>? references) =>
        Manifest(origin, EventActions.Pull, repository, mediaType, digest, size, tag, references);

    public RegistryEvent ManifestDeleted(EventOrigin origin, string repository, Digest digest) =>
        Create(origin, EventActions.Delete, new EventTarget { Repository = repository, Digest = digest.ToString() });

    public RegistryEvent TagDeleted(EventOrigin origin, string repository, string tag) =>
        Create(origin, EventActions.Delete, new EventTarget { Repository = repository, Tag = tag });

    /// <summary>A blob the scrub quarantined: no repository (the content store is shared), the digest and the size found.</summary>
    public RegistryEvent BlobQuarantined(EventOrigin origin, Digest digest, long size) =>
        Create(origin, EventActions.Quarantine, new EventTarget { MediaType = MediaTypes.OctetStream, Digest = digest.ToString(), Size = size, Length = size });

    private RegistryEvent Blob(EventOrigin origin, string action, string repository, Digest digest, long size, string? fromRepository) =>
        Create(origin, action, new EventTarget
        {
            MediaType = MediaTypes.OctetStream,
            Size = size,
            Digest = digest.ToString(),
            Length = size,
            Repository = repository,
            FromRepository = string.IsNullOrEmpty(fromRepository) ? null : fromRepository,
            Url = $"{origin.UrlBase}/v2/{repository}/blobs/{digest}",
        });

    private RegistryEvent Manifest(
        EventOrigin origin, string action, string repository, string mediaType, Digest digest, long size, string? tag, IReadOnlyList<EventDescriptor>? references) =>
        Create(origin, action, new EventTarget
        {
            MediaType = string.IsNullOrEmpty(mediaType) ? null : mediaType,
            Size = size,
            Digest = digest.ToString(),
            Length = size,
            Repository = repository,
            Url = $"{origin.UrlBase}/v2/{repository}/manifests/{digest}",
            Tag = string.IsNullOrEmpty(tag) ? null : tag,
            References = options.IncludeReferences && references is { Count: > 0 } ? references : null,
        });

    private RegistryEvent Create(EventOrigin origin, string action, EventTarget target) => new()
    {
        Id = Guid.NewGuid().ToString(),
        Timestamp = time.GetUtcNow(),
        Action = action,
        Target = target,
        Request = origin.Request,
        Actor = origin.Actor,
        Source = origin.Source,
    };
}
