using System.Text.Json;
using RegistryCloud.Oci;

namespace RegistryCloud.WebConsole.Registry;

/// <summary>One descriptor of a manifest: a layer, a config, an index's child, a referrer.</summary>
public sealed record DescriptorView(
    string MediaType,
    string Digest,
    long Size,
    string? Platform,
    string? ArtifactType,
    IReadOnlyList<KeyValuePair<string, string>> Annotations);

/// <summary>
/// What a manifest or index says, read from its JSON (OCI image spec: manifest, index,
/// descriptor; Docker schema 2 and manifest lists alike). Values are kept as the registry gave
/// them; the pages escape them when they render.
/// </summary>
public sealed record ManifestView(
    string MediaType,
    string Digest,
    long Size,
    bool IsIndex,
    string? ArtifactType,
    DescriptorView? Config,
    IReadOnlyList<DescriptorView> Layers,
    IReadOnlyList<DescriptorView> Manifests,
    DescriptorView? Subject,
    IReadOnlyList<KeyValuePair<string, string>> Annotations)
{
    /// <summary>The layers' and config's sizes added up: what pulling this image moves.</summary>
    public long ContentSize => (Config?.Size ?? 0) + Layers.Sum(layer => layer.Size);

    public static ManifestView Parse(ManifestBytes manifest)
    {
        using var json = JsonDocument.Parse(manifest.Content);
        var root = json.RootElement;
        var mediaType = root.TryGetProperty("mediaType", out var declared) && declared.ValueKind == JsonValueKind.String
            ? declared.GetString()!
            : manifest.MediaType;
        var manifests = Descriptors(root, "manifests");
        return new ManifestView(
            mediaType,
            manifest.Digest,
            manifest.Content.Length,
            MediaTypes.IsIndex(mediaType) || (root.TryGetProperty("manifests", out _) && !root.TryGetProperty("layers", out _)),
            String(root, "artifactType"),
            root.TryGetProperty("config", out var config) ? Descriptor(config) : null,
            Descriptors(root, "layers"),
            manifests,
            root.TryGetProperty("subject", out var subject) ? Descriptor(subject) : null,
            ReadAnnotations(root));
    }

    /// <summary>The platforms an index's manifests are for (<c>linux/amd64</c>, <c>linux/arm64/v8</c>), attestations aside.</summary>
    public IReadOnlyList<string> Platforms =>
        [.. Manifests.Select(child => child.Platform).OfType<string>().Where(platform => platform != "unknown/unknown").Distinct(StringComparer.Ordinal)];

    public static IReadOnlyList<DescriptorView> Descriptors(JsonElement root, string property) =>
        root.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object).Select(Descriptor)]
            : [];

    public static DescriptorView Descriptor(JsonElement element) => new(
        String(element, "mediaType") ?? "",
        String(element, "digest") ?? "",
        element.TryGetProperty("size", out var size) && size.TryGetInt64(out var bytes) ? bytes : 0,
        Platform(element),
        String(element, "artifactType"),
        ReadAnnotations(element));

    private static string? Platform(JsonElement descriptor)
    {
        if (!descriptor.TryGetProperty("platform", out var platform) || platform.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var parts = new[] { String(platform, "os"), String(platform, "architecture"), String(platform, "variant") };
        return string.Join('/', parts.Where(part => !string.IsNullOrEmpty(part)));
    }

    public static IReadOnlyList<KeyValuePair<string, string>> ReadAnnotations(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Object
            ? [.. annotations.EnumerateObject().Select(pair => KeyValuePair.Create(pair.Name, pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString()! : pair.Value.GetRawText()))]
            : [];

    public static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static long Number(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.TryGetInt64(out var number) ? number : 0;
}
