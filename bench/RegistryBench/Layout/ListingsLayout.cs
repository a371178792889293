using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RegistryCloud.Bench.Layout;

/// <summary>
/// <c>listings-layout</c>: writes what the <c>listings</c> workload reads straight into a storage
/// root in Distribution's layout, as pushes would leave it (pushing 100,000 repositories or tags
/// over HTTP takes far longer than the listings being measured). One image (a config blob and an
/// OCI manifest) is stored once; each catalog repository <c>catalog/team-NNNN/app-NNNNNN</c> links
/// it (<c>_layers</c> and <c>_manifests/revisions</c>: Distribution 2.8's catalog finds a repository
/// by its <c>_layers</c>, RegistryCloud's by its <c>_manifests</c>); each <c>listings/tags-N</c>
/// repository has N tags <c>tag-NNNNNN</c> pointing at it (current and index links). Repositories
/// from <c>--from</c> up are written, so a second run grows the catalog.
/// <para>
/// Writing behind a registry's back is what an offline tool does, so like one this removes
/// RegistryCloud's catalog stamp (<c>_listing/catalog-stamp</c>): indexes built before are then not
/// trusted and are rebuilt from the layout. Distribution ignores the file.
/// </para>
/// </summary>
internal static class ListingsLayout
{
    public const string Usage = """
        usage: RegistryCloud.Bench listings-layout --root DIR [--repos N] [--from N] [--tags LIST]
          --repos N     catalog repositories, counting from 0 (default: 10000)
          --from N      first catalog repository to write (default: 0)
          --tags LIST   tag counts: a repository listings/tags-N for each (default: none)
        """;

    public static int Run(string[] args, TextWriter output)
    {
        string? root = null;
        int repositories = 10_000, from = 0;
        var tagCounts = new List<int>();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--root": root = Value(); break;
                case "--repos": repositories = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--from": from = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--tags": tagCounts.AddRange(Value().Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))); break;
                default: throw new ArgumentException($"listings-layout: unknown option {args[i]}\n{Usage}");
            }
        }

        if (root is null || repositories < 0 || from < 0)
        {
            throw new ArgumentException($"listings-layout needs --root.\n{Usage}");
        }

        var v2 = Path.Combine(root, "docker", "registry", "v2");
        var config = Store(v2, Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"));
        var manifest = Store(v2, Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:{config.Digest}\",\"size\":{config.Size}}},\"layers\":[]}}"));
        var files = 0;
        for (var r = from; r < repositories; r++)
        {
            files += Repository(v2, $"catalog/team-{r / 100:D4}/app-{r:D6}", config.Digest, manifest.Digest);
        }

        foreach (var count in tagCounts)
        {
            var repository = Workloads.ListingsWorkload.TagsRepository(count);
            files += Repository(v2, repository, config.Digest, manifest.Digest);
            for (var t = 0; t < count; t++)
            {
                var tag = $"{v2}/repositories/{repository}/_manifests/tags/{Workloads.ListingsWorkload.ListingsTagName(t)}";
                Link($"{tag}/current/link", manifest.Digest);
                Link($"{tag}/index/sha256/{manifest.Digest}/link", manifest.Digest);
                files += 2;
            }
        }

        var stamp = Path.Combine(v2, "_listing", "catalog-stamp");
        if (File.Exists(stamp))
        {
            File.Delete(stamp);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"listings-layout: repositories {from}..{repositories - 1}, tag repositories [{string.Join(',', tagCounts)}], {files} link files under {root}"));
        return 0;
    }

    private static int Repository(string v2, string repository, string config, string manifest)
    {
        Link($"{v2}/repositories/{repository}/_layers/sha256/{config}/link", config);
        Link($"{v2}/repositories/{repository}/_manifests/revisions/sha256/{manifest}/link", manifest);
        return 2;
    }

    private static (string Digest, int Size) Store(string v2, byte[] content)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(content));
        var path = $"{v2}/blobs/sha256/{digest[..2]}/{digest}/data";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return (digest, content.Length);
    }

    private static void Link(string path, string digest)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("sha256:" + digest));
    }
}
