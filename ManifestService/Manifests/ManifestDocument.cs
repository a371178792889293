using System.Text.Json;
using RegistryCloud.Core.Oci;

namespace RegistryCloud.ManifestService.Manifests;

/// <summary>A descriptor a manifest points at (OCI image-spec descriptor.md).</summary>
internal sealed record ManifestDescriptor(string MediaType, Digest Digest, long Size, bool HasUrls);

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
