using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Tests.Infrastructure;

/// <summary>
/// Manifest bodies for tests. Written indented, so a registry that re-serialized them instead
/// of storing the bytes as pushed would serve different bytes and a different digest.
/// </summary>
internal static class TestManifests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static byte[] Image(string mediaType, TestDescriptor config, params TestDescriptor[] layers) =>
        Serialize(ImageJson(mediaType, config, layers));

    public static JsonObject ImageJson(string mediaType, TestDescriptor config, params TestDescriptor[] layers) => new()
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = mediaType,
        ["config"] = config.ToJson(),
        ["layers"] = new JsonArray([.. layers.Select(layer => (JsonNode)layer.ToJson())]),
    };

    public static byte[] Index(string mediaType, params TestDescriptor[] manifests) => Serialize(new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = mediaType,
        ["manifests"] = new JsonArray([.. manifests.Select(manifest =>
        {
            var entry = manifest.ToJson();
            entry["platform"] = new JsonObject { ["architecture"] = "amd64", ["os"] = "linux" };
            return (JsonNode)entry;
        })]),
    });

    public static byte[] Serialize(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(Indented));

    /// <summary>An image config unique to this call.</summary>
    public static byte[] NewConfig() =>
        Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{\"Labels\":{{\"id\":\"{Guid.NewGuid():N}\"}}}}}}");

    public static string DigestOf(byte[] content) => Digest.Compute(content).ToString();
}
