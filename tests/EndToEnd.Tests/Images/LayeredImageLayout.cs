using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace RegistryCloud.EndToEnd.Tests.Images;

/// <summary>
/// Writes a linux/amd64 image of several layers as an OCI image layout, each layer one file of
/// incompressible bytes (<c>/layer-1.bin</c>, ...), so a push moves real uploads, one per layer.
/// The same seed always gives the same bytes.
/// </summary>
public static class LayeredImageLayout
{
    private const string CreatedText = "2024-01-01T00:00:00Z";
    private static readonly DateTimeOffset Created = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static OciImage Write(string directory, string refName, string seed, int layerCount, int layerFileSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layerCount, 1);
        var tars = Enumerable.Range(1, layerCount).Select(index => BuildLayerTar(seed, index, layerFileSize)).ToList();
        var diffIds = tars.Select(tar => OciBlob.DigestOf(tar)).ToList();
        var layers = tars.Select(tar => OciBlob.Of(OciMediaTypes.LayerTarGzip, Gzip(tar))).ToList();
        var config = OciBlob.Of(OciMediaTypes.ImageConfig, OciImageLayout.Serialize(BuildConfig(diffIds, seed)));
        var manifest = OciBlob.Of(OciMediaTypes.ImageManifest, OciImageLayout.Serialize(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageManifest,
            ["config"] = Descriptor(config),
            ["layers"] = new JsonArray([.. layers.Select(layer => (JsonNode)Descriptor(layer))]),
        }));

        Directory.CreateDirectory(directory);
        foreach (var blob in layers.Append(config).Append(manifest))
        {
            var path = OciImageLayout.BlobPath(directory, blob.Digest);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, blob.Bytes);
        }

        var entry = Descriptor(manifest);
        entry["annotations"] = new JsonObject { [OciMediaTypes.RefNameAnnotation] = refName };
        File.WriteAllBytes(Path.Combine(directory, "index.json"), OciImageLayout.Serialize(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageIndex,
            ["manifests"] = new JsonArray(entry),
        }));
        File.WriteAllBytes(Path.Combine(directory, "oci-layout"), OciImageLayout.Serialize(new JsonObject { ["imageLayoutVersion"] = "1.0.0" }));
        return new OciImage(directory, refName, manifest, config, layers, diffIds);
    }

    private static byte[] BuildLayerTar(string seed, int index, int size)
    {
        // A seeded Random is deterministic across runs; the bytes only need to not compress.
        var content = new byte[size];
        new Random(unchecked((StableHash(seed) * 31) + index)).NextBytes(content);
        using var tarBytes = new MemoryStream();
        using (var tar = new TarWriter(tarBytes, TarEntryFormat.Ustar, leaveOpen: true))
        {
            using var data = new MemoryStream(content, writable: false);
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"layer-{index}.bin")
            {
                DataStream = data,
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                ModificationTime = Created,
                UserName = "root",
                GroupName = "root",
            });
        }

        return tarBytes.ToArray();
    }

    /// <summary>string.GetHashCode is randomized per process; this is not.</summary>
    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash * 31) + b);
        }

        return hash;
    }

    private static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return compressed.ToArray();
    }

    private static JsonObject BuildConfig(IReadOnlyList<string> diffIds, string seed) => new()
    {
        ["created"] = CreatedText,
        ["architecture"] = "amd64",
        ["os"] = "linux",
        ["config"] = new JsonObject
        {
            ["Cmd"] = new JsonArray("/bin/true"),
            ["Labels"] = new JsonObject { ["org.registrycloud.e2e.seed"] = seed },
        },
        ["rootfs"] = new JsonObject
        {
            ["type"] = "layers",
            ["diff_ids"] = new JsonArray([.. diffIds.Select(id => (JsonNode)JsonValue.Create(id))]),
        },
        ["history"] = new JsonArray([.. diffIds.Select((_, index) => (JsonNode)new JsonObject
        {
            ["created"] = CreatedText,
            ["created_by"] = $"RegistryCloud end-to-end tests: layer {index + 1}",
        })]),
    };

    private static JsonObject Descriptor(OciBlob blob) => new()
    {
        ["mediaType"] = blob.MediaType,
        ["digest"] = blob.Digest,
        ["size"] = blob.Size,
    };
}
