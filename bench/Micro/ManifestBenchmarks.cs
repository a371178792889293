using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using RegistryCloud.ManifestService.Manifests;

namespace RegistryCloud.Bench.Micro;

/// <summary>
/// Manifest PUT's CPU work: ManifestService's parser and validator (linked source) on an OCI
/// image manifest and a Docker manifest list, against a bare <see cref="JsonDocument"/> parse of
/// the same bytes, which is the floor any validation sits on.
/// </summary>
[MemoryDiagnoser]
public class ManifestBenchmarks
{
    private static readonly byte[] Image = Encoding.UTF8.GetBytes(ImageManifest(layers: 10));
    private static readonly byte[] Index = Encoding.UTF8.GetBytes(ManifestList(platforms: 6));

    [Benchmark(Baseline = true)]
    public int JsonDocumentParseOfImageManifest()
    {
        using var document = JsonDocument.Parse(Image);
        return document.RootElement.GetProperty("layers").GetArrayLength();
    }

    [Benchmark]
    public bool ParseAndValidateImageManifest() =>
        ManifestParser.TryParse(Image, "application/vnd.oci.image.manifest.v1+json", out _, out _);

    [Benchmark]
    public bool ParseAndValidateManifestList() =>
        ManifestParser.TryParse(Index, "application/vnd.docker.distribution.manifest.list.v2+json", out _, out _);

    private static string Descriptor(string mediaType, int seed, long size)
    {
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(seed)));
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"sha256:" + hex + "\",\"size\":" + size + "}";
    }

    private static string ImageManifest(int layers) =>
        $$$"""
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
         "config":{{{Descriptor("application/vnd.oci.image.config.v1+json", 0, 1469)}}},
         "layers":[{{{string.Join(",", Enumerable.Range(1, layers).Select(i => Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", i, i * 1_048_576L)))}}}],
         "annotations":{"org.opencontainers.image.created":"2025-01-01T00:00:00Z"}}
        """;

    private static string ManifestList(int platforms) =>
        $$$"""
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
         "manifests":[{{{string.Join(",", Enumerable.Range(1, platforms).Select(i => Descriptor("application/vnd.docker.distribution.manifest.v2+json", 100 + i, 528)))}}}]}
        """;
}
