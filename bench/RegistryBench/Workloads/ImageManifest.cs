using System.Text.Json;
using RegistryCloud.Bench.Http;
using RegistryCloud.Bench.Content;

namespace RegistryCloud.Bench.Workloads;

/// <summary>A descriptor as an OCI image manifest writes it.</summary>
internal sealed record Descriptor(string MediaType, BlobDigest Digest, long Size);

/// <summary>Writes and reads the OCI image manifests and configs the workloads push and pull.</summary>
internal static class ImageManifest
{
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    public const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar";

    public static byte[] Config(IEnumerable<BlobDigest> layers)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("architecture", "amd64");
            json.WriteString("os", "linux");
            json.WriteStartObject("rootfs");
            json.WriteString("type", "layers");
            json.WriteStartArray("diff_ids");
            foreach (var layer in layers)
            {
                json.WriteStringValue(layer.ToString());
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static byte[] Build(Descriptor config, IEnumerable<Descriptor> layers, int? index = null)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", RegistryClient.OciManifest);
            json.WritePropertyName("config");
            Write(json, config);
            json.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                Write(json, layer);
            }

            json.WriteEndArray();
            if (index is { } i)
            {
                // Makes each of many otherwise equal manifests a distinct document.
                json.WriteStartObject("annotations");
                json.WriteString("org.registrycloud.bench.index", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The config and layers of a pulled image manifest.</summary>
    public static (Descriptor Config, IReadOnlyList<Descriptor> Layers) Read(byte[] manifest)
    {
        using var json = JsonDocument.Parse(manifest);
        var root = json.RootElement;
        var layers = new List<Descriptor>();
        foreach (var layer in root.GetProperty("layers").EnumerateArray())
        {
            layers.Add(ReadDescriptor(layer));
        }

        return (ReadDescriptor(root.GetProperty("config")), layers);
    }

    private static Descriptor ReadDescriptor(JsonElement element) => new(
        element.GetProperty("mediaType").GetString()!,
        BlobDigest.Parse(element.GetProperty("digest").GetString()!),
        element.GetProperty("size").GetInt64());

    private static void Write(Utf8JsonWriter json, Descriptor descriptor)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", descriptor.MediaType);
        json.WriteString("digest", descriptor.Digest.ToString());
        json.WriteNumber("size", descriptor.Size);
        json.WriteEndObject();
    }
}
