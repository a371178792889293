using System.Text.Json.Nodes;

namespace RegistryCloud.EndToEnd.Tests.Images;

/// <summary>
/// A two-platform image (linux/amd64 and linux/arm64, one small image each) and an OCI image index
/// over them, tagged in one OCI image layout, for <c>skopeo copy --all</c>; and the check that a
/// copied layout holds every blob of the original, byte for byte.
/// </summary>
public static class OciIndexLayout
{
    /// <summary>Writes the two images and the index, tagged <paramref name="refName"/>; returns the index.</summary>
    public static OciBlob WriteTwoPlatform(string layout, string scratch, string seed, string refName = "v1")
    {
        var amd64 = OciImageLayout.Write(layout, "amd64", seed: $"{seed}-amd64");
        var arm64 = OciImageLayout.Write(scratch, "arm64", seed: $"{seed}-arm64");
        foreach (var blob in new[] { arm64.Manifest, arm64.Config }.Concat(arm64.Layers))
        {
            File.WriteAllBytes(OciImageLayout.BlobPath(layout, blob.Digest), blob.Bytes);
        }

        var index = OciBlob.Of(OciMediaTypes.ImageIndex, OciImageLayout.Serialize(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageIndex,
            ["manifests"] = new JsonArray(Entry(amd64.Manifest, "amd64"), Entry(arm64.Manifest, "arm64")),
        }));
        File.WriteAllBytes(OciImageLayout.BlobPath(layout, index.Digest), index.Bytes);
        File.WriteAllBytes(Path.Combine(layout, "index.json"), OciImageLayout.Serialize(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = OciMediaTypes.ImageIndex,
                ["digest"] = index.Digest,
                ["size"] = index.Size,
                ["annotations"] = new JsonObject { [OciMediaTypes.RefNameAnnotation] = refName },
            }),
        }));
        return index;
    }

    /// <summary>Every blob of <paramref name="original"/> (index, manifests, configs, layers) is in <paramref name="copy"/> with the same bytes.</summary>
    public static void AssertHoldsEveryBlobOf(string copy, string original)
    {
        foreach (var path in Directory.EnumerateFiles(Path.Combine(original, "blobs", "sha256")))
        {
            var copied = Path.Combine(copy, "blobs", "sha256", Path.GetFileName(path));
            Assert.True(File.Exists(copied), $"blob sha256:{Path.GetFileName(path)} did not come back");
            Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(copied));
        }
    }

    private static JsonObject Entry(OciBlob manifest, string architecture) => new()
    {
        ["mediaType"] = manifest.MediaType,
        ["digest"] = manifest.Digest,
        ["size"] = manifest.Size,
        ["platform"] = new JsonObject { ["architecture"] = architecture, ["os"] = "linux" },
    };
}
