using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RegistryCloud.Bench.Layout;

/// <summary>
/// <c>layout</c>: writes a registry's storage directly in Distribution's layout, as years of pushes
/// would leave it, for the garbage collector's benchmark (bench/gc.sh) — far faster than pushing it.
/// Every repository has one tagged image (a config, layers and its manifest); one in ten also has
/// an older untagged image with a layer of its own (garbage with <c>--delete-untagged</c>), and
/// one blob in twenty is linked nowhere (garbage in any run). Every file is dated
/// <c>--age</c> ago, past the collector's grace period.
/// </summary>
internal static class LayoutGenerator
{
    public const string Usage = """
        usage: RegistryCloud.Bench layout --root DIR [--repos N] [--blobs N] [--blob-size SIZE] [--age HOURS]
          --repos N       repositories (default: 10000)
          --blobs N       blobs in tagged images, configs and manifests included (default: 100000)
          --blob-size S   bytes of each config and layer (default: 512)
          --age HOURS     how old every file is (default: 48)
        """;

    public static int Run(string[] args, TextWriter output)
    {
        string? root = null;
        int repositories = 10_000, blobs = 100_000, blobSize = 512, ageHours = 48;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--root": root = Value(); break;
                case "--repos": repositories = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--blobs": blobs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--blob-size": blobSize = (int)SizeText.Parse(Value()); break;
                case "--age": ageHours = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"layout: unknown option {args[i]}\n{Usage}");
            }
        }

        if (root is null || repositories < 1 || blobs < repositories * 3 || blobSize < 16)
        {
            throw new ArgumentException($"layout needs --root, and at least 3 blobs a repository and 16 bytes a blob.\n{Usage}");
        }

        var writer = new Writer(Path.Combine(root, "docker", "registry", "v2"), DateTime.UtcNow.AddHours(-ageHours), blobSize);
        var perRepository = blobs / repositories;
        for (var r = 0; r < repositories; r++)
        {
            var repository = $"bench/team-{r / 100:D3}/app-{r:D5}";
            if (r % 10 == 0)
            {
                // An older image, no longer tagged: garbage once untagged manifests are collected.
                var oldConfig = writer.Blob(repository, $"old-config-{r}");
                writer.Manifest(repository, tag: null, oldConfig, [writer.Blob(repository, $"old-layer-{r}")]);
            }

            var config = writer.Blob(repository, $"config-{r}");
            var layers = Enumerable.Range(0, perRepository - 2).Select(l => writer.Blob(repository, $"layer-{r}-{l}")).ToArray();
            writer.Manifest(repository, "latest", config, layers);
        }

        for (var o = 0; o < blobs / 20; o++)
        {
            writer.Blob(repository: null, $"orphan-{o}");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"layout: {repositories} repositories, {writer.Blobs} blobs ({writer.Bytes} bytes), {writer.Files} files under {root}"));
        return 0;
    }

    private sealed class Writer(string v2, DateTime modified, int blobSize)
    {
        public int Blobs { get; private set; }

        public long Bytes { get; private set; }

        public int Files { get; private set; }

        /// <summary>A blob of unique bytes, linked into the repository's layers unless it is null.</summary>
        public string Blob(string? repository, string seed)
        {
            var content = new byte[blobSize];
            var fill = Encoding.UTF8.GetBytes(seed + "|");
            for (var i = 0; i < content.Length; i++)
            {
                content[i] = fill[i % fill.Length];
            }

            var digest = Store(content);
            if (repository is not null)
            {
                Link($"repositories/{repository}/_layers/sha256/{digest}/link", digest);
            }

            return digest;
        }

        public void Manifest(string repository, string? tag, string config, string[] layers)
        {
            var json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:{config}\",\"size\":{blobSize}}},"
                + "\"layers\":[" + string.Join(",", layers.Select(layer =>
                    $"{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:{layer}\",\"size\":{blobSize}}}")) + "]}";
            var digest = Store(Encoding.UTF8.GetBytes(json));
            Link($"repositories/{repository}/_manifests/revisions/sha256/{digest}/link", digest);
            if (tag is not null)
            {
                Link($"repositories/{repository}/_manifests/tags/{tag}/current/link", digest);
                Link($"repositories/{repository}/_manifests/tags/{tag}/index/sha256/{digest}/link", digest);
            }
        }

        private string Store(byte[] content)
        {
            var digest = Convert.ToHexStringLower(SHA256.HashData(content));
            Write($"blobs/sha256/{digest[..2]}/{digest}/data", content);
            Blobs++;
            Bytes += content.Length;
            return digest;
        }

        private void Link(string path, string digest) => Write(path, Encoding.ASCII.GetBytes("sha256:" + digest));

        private void Write(string relative, byte[] content)
        {
            var path = Path.Combine(v2, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
            File.SetLastWriteTimeUtc(path, modified);
            Files++;
        }
    }
}
