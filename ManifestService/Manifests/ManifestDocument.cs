using System.Text.Json;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Manifests;

/// <summary>A descriptor a manifest points at (OCI image-spec descriptor.md).</summary>
internal sealed record ManifestDescriptor(string MediaType, Digest Digest, long Size, bool HasUrls)
{
    /// <summary>The descriptor's <c>urls</c>: where a non-distributable layer is fetched from.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [];

    /// <summary>
    /// A layer that clients fetch from its <c>urls</c> instead of the registry, so the registry
    /// does not hold it: OCI non-distributable layers and Docker foreign layers.
    /// </summary>
    public bool IsForeign => HasUrls && MediaType is
        "application/vnd.oci.image.layer.nondistributable.v1.tar"
        or "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
        or "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
        or "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
}

/// <summary>
/// What the registry needs from a manifest: its media type, the blobs it references (config and
/// layers) or the manifests it lists (an index), and its subject. Bytes are kept as received.
/// </summary>
internal sealed record ManifestDocument(
    string MediaType,
    IReadOnlyList<ManifestDescriptor> Blobs,
    IReadOnlyList<ManifestDescriptor> Manifests,
    ManifestDescriptor? Subject,
    string? ArtifactType)
{
    /// <summary>The manifest's own <c>annotations</c>, reported by the referrers API.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>
    /// The artifact type the referrers API reports (OCI spec: listing referrers): the manifest's
    /// <c>artifactType</c>, else an image manifest's config media type.
    /// </summary>
    public string? EffectiveArtifactType =>
        ArtifactType ?? (MediaTypes.IsImageManifest(MediaType) && Blobs.Count > 0 ? Blobs[0].MediaType : null);
}

internal static class ManifestMediaType
{
    /// <summary>
    /// The media type of stored manifest bytes, as Distribution infers it: the <c>mediaType</c>
    /// field, else an OCI index when it lists manifests, else an OCI image manifest.
    /// </summary>
    public static string Detect(ReadOnlySpan<byte> content)
    {
        try
        {
            var reader = new Utf8JsonReader(content);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return MediaTypes.OciImageManifest;
            }

            if (root.TryGetProperty("mediaType", out var mediaType) && mediaType.ValueKind == JsonValueKind.String)
            {
                return mediaType.GetString()!;
            }

            if (root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() == 1)
            {
                return MediaTypes.DockerManifestV1Signed;
            }

            return root.TryGetProperty("manifests", out _) ? MediaTypes.OciImageIndex : MediaTypes.OciImageManifest;
        }
        catch (JsonException)
        {
            return MediaTypes.OciImageManifest;
        }
    }
}
