using System.Text;
using CsCheck;
using RegistryCloud.Oci;

namespace RegistryCloud.Fuzz.Tests.Requests;

/// <summary>
/// Manifest bodies: the known image's manifest and an index of it with one field made wrong (a
/// wrong type, a bad digest or media type, a huge array), and documents wrong as JSON or as text
/// (deep nesting, duplicate keys, bytes that are not UTF-8, huge strings, sizes at the limit).
/// </summary>
public static class ManifestBodies
{
    private const int FourMiB = 4 * 1024 * 1024;

    /// <summary>No generated body is much over the 4 MiB limit: past it, more bytes test nothing more.</summary>
    private const int MaxBody = FourMiB + 1024;

    private static readonly Gen<string> JsonScalar = Gen.OneOf(
        "null", "true", "false", "0", "-1", "1.5", "1e400", "-1e400", "9223372036854775808", "18446744073709551616", "\"\"", "\"x\"",
        "\"\\ud800\"", "\"\\u0000\"", "[]", "{}", "[null]", "{\"a\":1}", "2", "\"2\"");

    private static readonly Gen<string> JsonString = Gen.OneOf(
        Hostile.MediaType.Select(Quote),
        Hostile.Digest.Select(digest => Quote(Uri.UnescapeDataString(digest))),
        Hostile.AnyText.Select(Quote));

    private static readonly Gen<string> Size = Gen.OneOf(
        Gen.OneOf("0", "-1", "1", "4096", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e30", "1.0", "\"4096\"", "null"),
        Gen.Long.Select(size => size.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A descriptor, right or wrong in any one of its fields.</summary>
    private static readonly Gen<string> Descriptor = Gen.Select(
        Gen.Frequency((3, Gen.Const(Quote(MediaTypes.OciImageConfig))), (1, JsonString), (1, JsonScalar)),
        Gen.Frequency((3, Gen.OneOf(Quote(KnownContent.ConfigDigest), Quote(KnownContent.LayerDigest), Quote(KnownContent.ManifestDigest))), (2, JsonString), (1, JsonScalar)),
        Gen.Frequency((3, Gen.OneOf("78", "4096")), (2, Size)),
        Gen.Frequency(
            (4, Gen.Const("")),
            (1, JsonString.Select(value => ",\"artifactType\":" + value)),
            (1, JsonScalar.Select(value => ",\"urls\":" + value)),
            (1, Gen.OneOf(",\"urls\":[\"http://example.test/x\"]", ",\"urls\":[\"javascript:alert(1)\"]", ",\"urls\":[1,2]", ",\"platform\":{\"os\":1}", ",\"annotations\":{\"a\":1}")),
            (1, JsonScalar.Select(value => ",\"annotations\":" + value))),
        (mediaType, digest, size, extra) => $"{{\"mediaType\":{mediaType},\"digest\":{digest},\"size\":{size}{extra}}}");

    /// <summary>An array of descriptors: empty, a few, or very many.</summary>
    private static readonly Gen<string> Descriptors = Gen.Frequency(
        (4, Descriptor.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
        (1, Gen.Select(Descriptor, Gen.Int[1_000, 60_000]).Select((item, count) => "[" + string.Join(",", Enumerable.Repeat(item, Math.Min(count, MaxBody / (item.Length + 1)))) + "]")),
        (1, JsonScalar));

    private static readonly Gen<string> Annotations = Gen.Frequency(
        (3, Gen.Select(JsonString, JsonString).Array[0, 5].Select(pairs => "{" + string.Join(",", pairs.Select(pair => pair.Item1 + ":" + pair.Item2)) + "}")),
        (1, Gen.Int[1_000, 100_000].Select(count => "{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"k{i}\":\"v\"")) + "}")),
        (1, JsonScalar));

    /// <summary>An image manifest or index, each field right or wrong.</summary>
    private static readonly Gen<string> Document = Gen.Select(
        Gen.Frequency((4, Gen.Const("2")), (1, JsonScalar)),
        Gen.Frequency((3, Gen.OneOf(Quote(MediaTypes.OciImageManifest), Quote(MediaTypes.DockerManifest), Quote(MediaTypes.OciImageIndex), Quote(MediaTypes.DockerManifestList))), (1, JsonString), (1, JsonScalar)),
        Gen.Frequency((3, Descriptor), (1, JsonScalar)),
        Descriptors,
        Gen.Frequency((4, Gen.Const("")), (1, Descriptor.Select(subject => ",\"subject\":" + subject)), (1, JsonScalar.Select(subject => ",\"subject\":" + subject))),
        Gen.Frequency((4, Gen.Const("")), (1, Annotations.Select(value => ",\"annotations\":" + value)), (1, JsonString.Select(value => ",\"artifactType\":" + value))),
        Gen.Bool,
        (schema, mediaType, config, list, subject, extra, index) => index
            ? $"{{\"schemaVersion\":{schema},\"mediaType\":{mediaType},\"manifests\":{list}{subject}{extra}}}"
            : $"{{\"schemaVersion\":{schema},\"mediaType\":{mediaType},\"config\":{config},\"layers\":{list}{subject}{extra}}}");

    /// <summary>Text that is not the JSON it looks like, or JSON no manifest parser expects.</summary>
    private static readonly Gen<string> Malformed = Gen.OneOf(
        Gen.OneOf("", " ", "null", "[]", "{}", "\"\"", "2", "{", "}", "{\"schemaVersion\":", "{\"schemaVersion\":2,}", "{'schemaVersion':2}",
            "{\"schemaVersion\":2}garbage", "{\"schemaVersion\":2}{\"schemaVersion\":2}", "\uFEFF" + Encoding.UTF8.GetString(KnownContent.Manifest),
            "/* comment */" + Encoding.UTF8.GetString(KnownContent.Manifest), "{\"schemaVersion\":2,\"signatures\":[{\"protected\":\"x\"}]}",
            "{\"schemaVersion\":1,\"name\":\"fuzz/app\",\"tag\":\"v1\",\"fsLayers\":[{\"blobSum\":\"sha256:x\"}],\"history\":[]}"),
        Gen.Int[10, 300_000].Select(depth => new string('[', depth) + new string(']', depth)),
        Gen.Int[10, 300_000].Select(depth => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)),
        Gen.Int[10, 100_000].Select(depth => Encoding.UTF8.GetString(KnownContent.Manifest)[..^1] + ",\"annotations\":{\"x\":" + new string('[', depth) + new string(']', depth) + "}}"),
        Gen.Select(Gen.OneOf("schemaVersion", "mediaType", "config", "layers", "manifests", "subject"), JsonScalar)
            .Select((key, value) => Encoding.UTF8.GetString(KnownContent.Manifest)[..^1] + $",\"{key}\":{value}}}"),
        Gen.Int[1, FourMiB + 10].Select(length => "{\"schemaVersion\":2,\"annotations\":{\"x\":\"" + new string('a', length) + "\"}}"),
        Gen.OneOf(FourMiB - 1, FourMiB, FourMiB + 1).Select(total => Padded(Encoding.UTF8.GetString(KnownContent.Manifest), total)));

    /// <summary>The bodies of manifest PUTs.</summary>
    public static readonly Gen<byte[]> Body = Gen.Frequency(
        (1, Gen.Const(KnownContent.Manifest)),
        (6, Document.Select(Encoding.UTF8.GetBytes)),
        (3, Malformed.Select(Encoding.UTF8.GetBytes)),
        (2, Gen.Select(Document.Select(Encoding.UTF8.GetBytes), Gen.Byte.Array[1, 4], Gen.Double[0, 1]).Select(NotUtf8)),
        (1, Gen.Byte.Array[0, 2000]));

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    /// <summary>The document with trailing whitespace up to <paramref name="total"/> bytes: still valid JSON, exactly that long.</summary>
    private static string Padded(string document, int total) => document + new string(' ', Math.Max(0, total - Encoding.UTF8.GetByteCount(document)));

    /// <summary>Bytes that are never UTF-8 (0xFF, a lone continuation byte, an overlong '/') put into the document at a point.</summary>
    private static byte[] NotUtf8(byte[] document, byte[] seed, double at)
    {
        byte[] bad = (seed[0] % 4) switch
        {
            0 => [0xFF],
            1 => [0x80],
            2 => [0xC0, 0xAF],
            _ => [0xED, 0xA0, 0x80],
        };
        var position = (int)(at * document.Length);
        return [.. document.AsSpan(0, position), .. bad, .. document.AsSpan(position)];
    }
}
