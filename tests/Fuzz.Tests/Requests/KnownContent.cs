using System.Text;
using RegistryCloud.Oci;

namespace RegistryCloud.Fuzz.Tests.Requests;

/// <summary>
/// The image pushed before the barrage, into <see cref="Repository"/> (which the fuzzing user may
/// change) and <see cref="Kept"/> (which only the keeper may change): fixed bytes, so the digests
/// the generators aim at are known before anything runs and a run is the same every time.
/// </summary>
public static class KnownContent
{
    public const string Repository = "fuzz/app";
    public const string Kept = "kept/base";
    public const string Tag = "v1";

    public static readonly byte[] Config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");

    public static readonly byte[] Layer = [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251))];

    public static readonly string ConfigDigest = Digest.Compute(Config, Digest.Sha256).ToString();

    public static readonly string LayerDigest = Digest.Compute(Layer, Digest.Sha256).ToString();

    public static readonly byte[] Manifest = Encoding.UTF8.GetBytes(ImageManifest(ConfigDigest, Config.Length, LayerDigest, Layer.Length));

    public static readonly string ManifestDigest = Digest.Compute(Manifest, Digest.Sha256).ToString();

    public static string ImageManifest(string configDigest, long configSize, string layerDigest, long layerSize) => $$"""
        {"schemaVersion":2,"mediaType":"{{MediaTypes.OciImageManifest}}",
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{configSize}}},
         "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{layerDigest}}","size":{{layerSize}}}]}
        """;
}
