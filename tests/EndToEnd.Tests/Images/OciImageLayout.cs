using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RegistryCloud.EndToEnd.Tests.Images;

/// <summary>
/// Writes a small but real single-layer linux/amd64 image as an OCI image layout
/// (image-spec image-layout.md): <c>oci-layout</c>, <c>index.json</c> and <c>blobs/sha256/</c>.
/// The same seed always gives the same bytes; different seeds give different images.
/// </summary>
public static class OciImageLayout
{
    /// <summary>Written the way Go's encoding/json writes it: media types keep their literal '+'.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly DateTimeOffset Created = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const string CreatedText = "2024-01-01T00:00:00Z";
    private const int RandomFileSize = 48 * 1024;

    public static OciImage Write(string directory, string refName, string seed)
    {
        var layerTar = BuildLayerTar(seed);
        var diffId = OciBlob.DigestOf(layerTar);
        var layer = OciBlob.Of(OciMediaTypes.LayerTarGzip, Gzip(layerTar));
        var config = OciBlob.Of(OciMediaTypes.ImageConfig, Serialize(BuildConfig(diffId, seed)));
        var manifest = OciBlob.Of(OciMediaTypes.ImageManifest, Serialize(BuildManifest(config, layer)));

        Directory.CreateDirectory(directory);
        foreach (var blob in new[] { layer, config, manifest })
        {
            var path = BlobPath(directory, blob.Digest);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, blob.Bytes);
        }

        File.WriteAllBytes(Path.Combine(directory, "index.json"), Serialize(BuildIndex(manifest, refName)));
        File.WriteAllBytes(Path.Combine(directory, "oci-layout"), Serialize(new JsonObject { ["imageLayoutVersion"] = "1.0.0" }));
        return new OciImage(directory, refName, manifest, config, [layer], [diffId]);
    }

    /// <summary>Where a blob lives in a layout: <c>blobs/&lt;algorithm&gt;/&lt;encoded&gt;</c>.</summary>
    public static string BlobPath(string directory, string digest)
    {
        var separator = digest.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw new ArgumentException($"'{digest}' is not a digest.", nameof(digest));
        }

        return Path.Combine(directory, "blobs", digest[..separator], digest[(separator + 1)..]);
    }

    /// <summary>
    /// An uncompressed tar with <c>/hello</c> (text), <c>/hello.sh</c> (an executable script) and
    /// <c>/data.bin</c> (seed-derived bytes that do not compress, so the layer is not trivially small).
    /// </summary>
    private static byte[] BuildLayerTar(string seed)
    {
        using var tarBytes = new MemoryStream();
        using (var tar = new TarWriter(tarBytes, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var greeting = $"Hello from RegistryCloud!\nThis image was built from the seed '{seed}'.\n";
            AddFile(tar, "hello", Encoding.UTF8.GetBytes(greeting), executable: false);
            AddFile(tar, "hello.sh", Encoding.UTF8.GetBytes("#!/bin/sh\ncat /hello\n"), executable: true);
            AddFile(tar, "data.bin", SeededBytes(seed, RandomFileSize), executable: false);
        }

        return tarBytes.ToArray();
    }

    private static void AddFile(TarWriter tar, string name, byte[] content, bool executable)
    {
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        if (executable)
        {
            mode |= UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        }

        using var data = new MemoryStream(content, writable: false);
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = data,
            Mode = mode,
            ModificationTime = Created,
            Uid = 0,
            Gid = 0,
            UserName = "root",
            GroupName = "root",
        };
        tar.WriteEntry(entry);
    }

    /// <summary>A SHA-256 counter stream keyed by the seed: deterministic and incompressible.</summary>
    private static byte[] SeededBytes(string seed, int length)
    {
        var output = new byte[length];
        var key = Encoding.UTF8.GetBytes(seed);
        Span<byte> block = stackalloc byte[SHA256.HashSizeInBytes];
        for (int offset = 0, counter = 0; offset < length; offset += block.Length, counter++)
        {
            HMACSHA256.HashData(key, BitConverter.GetBytes(counter), block);
            block[..Math.Min(block.Length, length - offset)].CopyTo(output.AsSpan(offset));
        }

        return output;
    }

    private static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return compressed.ToArray();
    }

    private static JsonObject BuildConfig(string diffId, string seed) => new()
    {
        ["created"] = CreatedText,
        ["architecture"] = "amd64",
        ["os"] = "linux",
        ["config"] = new JsonObject
        {
            ["Env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
            ["Cmd"] = new JsonArray("/hello.sh"),
            ["Labels"] = new JsonObject { ["org.registrycloud.e2e.seed"] = seed },
        },
        ["rootfs"] = new JsonObject
        {
            ["type"] = "layers",
            ["diff_ids"] = new JsonArray(diffId),
        },
        ["history"] = new JsonArray(new JsonObject
        {
            ["created"] = CreatedText,
            ["created_by"] = "RegistryCloud end-to-end tests",
        }),
    };

    private static JsonObject BuildManifest(OciBlob config, OciBlob layer) => new()
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = OciMediaTypes.ImageManifest,
        ["config"] = Descriptor(config),
        ["layers"] = new JsonArray(Descriptor(layer)),
    };

    private static JsonObject BuildIndex(OciBlob manifest, string refName)
    {
        var descriptor = Descriptor(manifest);
        descriptor["annotations"] = new JsonObject { [OciMediaTypes.RefNameAnnotation] = refName };
        return new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageIndex,
            ["manifests"] = new JsonArray(descriptor),
        };
    }

    private static JsonObject Descriptor(OciBlob blob) => new()
    {
        ["mediaType"] = blob.MediaType,
        ["digest"] = blob.Digest,
        ["size"] = blob.Size,
    };

    public static byte[] Serialize(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(JsonOptions));
}
