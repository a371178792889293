using System.Text.Json.Nodes;

namespace RegistryCloud.EndToEnd.Tests.Images;

/// <summary>
/// Reads an image back out of an OCI image layout (one that skopeo wrote, say), checking that
/// every blob it references is there and hashes to its digest.
/// </summary>
public static class OciLayoutReader
{
    public static OciImage Read(string directory, string refName)
    {
        var index = ParseObject(File.ReadAllBytes(Path.Combine(directory, "index.json")), "index.json");
        var matches = Array(index, "manifests", "index.json")
            .OfType<JsonObject>()
            .Where(d => d["annotations"]?[OciMediaTypes.RefNameAnnotation]?.GetValue<string>() == refName)
            .ToList();
        if (matches.Count != 1)
        {
            throw new InvalidDataException(
                $"{directory}/index.json names '{refName}' {matches.Count} times: {index.ToJsonString()}");
        }

        var manifest = ReadBlob(directory, matches[0]);
        var manifestJson = ParseObject(manifest.Bytes, $"manifest {manifest.Digest}");
        var configDescriptor = manifestJson["config"] as JsonObject
            ?? throw new InvalidDataException($"manifest {manifest.Digest} has no config: {manifestJson.ToJsonString()}");
        var config = ReadBlob(directory, configDescriptor);
        var layers = Array(manifestJson, "layers", $"manifest {manifest.Digest}")
            .OfType<JsonObject>()
            .Select(d => ReadBlob(directory, d))
            .ToList();
        var configJson = ParseObject(config.Bytes, $"config {config.Digest}");
        var diffIds = (configJson["rootfs"]?["diff_ids"] as JsonArray ?? [])
            .Select(d => d!.GetValue<string>())
            .ToList();
        return new OciImage(directory, refName, manifest, config, layers, diffIds);
    }

    private static OciBlob ReadBlob(string directory, JsonObject descriptor)
    {
        var digest = descriptor["digest"]?.GetValue<string>()
            ?? throw new InvalidDataException($"descriptor without a digest: {descriptor.ToJsonString()}");
        var mediaType = descriptor["mediaType"]?.GetValue<string>() ?? string.Empty;
        var path = OciImageLayout.BlobPath(directory, digest);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"blob {digest} is referenced but missing from {directory}.");
        }

        var blob = OciBlob.Of(mediaType, File.ReadAllBytes(path));
        if (blob.Digest != digest)
        {
            throw new InvalidDataException($"{path} hashes to {blob.Digest}, not to its name {digest}.");
        }

        return blob;
    }

    private static JsonObject ParseObject(byte[] json, string what) =>
        JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{what} is not a JSON object.");

    private static JsonArray Array(JsonObject json, string property, string what) =>
        json[property] as JsonArray ?? throw new InvalidDataException($"{what} has no '{property}' array: {json.ToJsonString()}");
}
