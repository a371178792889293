using System.Text.Json;
using RegistryCloud.Oci;

namespace RegistryCloud.Lifecycle;

/// <summary>
/// What a stored manifest keeps alive: the blobs it names (an image manifest's config and layers,
/// an artifact manifest's blobs, a Docker schema1 manifest's <c>fsLayers</c>), the manifests it
/// lists (an index), and its subject. Read leniently, from any manifest a registry may hold,
/// including those Distribution accepted from old clients: an unknown or malformed one keeps
/// nothing alive beyond itself, and a malformed digest is skipped.
/// </summary>
public sealed record ManifestReferences(IReadOnlyList<Digest> Blobs, IReadOnlyList<Digest> Manifests, Digest? Subject)
{
    public static readonly ManifestReferences None = new([], [], null);

    public static ManifestReferences Read(ReadOnlySpan<byte> content)
    {
        try
        {
            var reader = new Utf8JsonReader(content);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return None;
            }

            var blobs = new List<Digest>();
            AddDescriptor(root, "config", blobs);
            AddDescriptors(root, "layers", "digest", blobs);
            AddDescriptors(root, "blobs", "digest", blobs);
            AddDescriptors(root, "fsLayers", "blobSum", blobs);
            var manifests = new List<Digest>();
            AddDescriptors(root, "manifests", "digest", manifests);
            var subject = new List<Digest>(1);
            AddDescriptor(root, "subject", subject);
            return new ManifestReferences(blobs, manifests, subject.Count > 0 ? subject[0] : null);
        }
        catch (JsonException)
        {
            return None;
        }
    }

    private static void AddDescriptor(JsonElement root, string property, List<Digest> into)
    {
        if (root.TryGetProperty(property, out var descriptor) && descriptor.ValueKind == JsonValueKind.Object)
        {
            AddDigest(descriptor, "digest", into);
        }
    }

    private static void AddDescriptors(JsonElement root, string property, string digestProperty, List<Digest> into)
    {
        if (root.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var descriptor in list.EnumerateArray())
            {
                if (descriptor.ValueKind == JsonValueKind.Object)
                {
                    AddDigest(descriptor, digestProperty, into);
                }
            }
        }
    }

    private static void AddDigest(JsonElement descriptor, string property, List<Digest> into)
    {
        if (descriptor.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            && Digest.TryParse(value.GetString(), out var digest))
        {
            into.Add(digest);
        }
    }
}
