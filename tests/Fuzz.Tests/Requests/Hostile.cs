using System.Text;
using CsCheck;

namespace RegistryCloud.Fuzz.Tests.Requests;

/// <summary>
/// Generators of the values that go into requests: mostly boundary values a parser is likely to
/// get wrong (lengths at and past the grammar's limits, numbers past int and long, odd digest
/// algorithms, bytes that are not UTF-8), with the registry's real names and digests mixed in so
/// requests also get past the first check, and random text around them. Every value is in wire
/// form: path and query values percent-encoded (or deliberately not), header values Latin-1.
/// </summary>
public static class Hostile
{
    /// <summary>Whole numbers as a client might write them, around int's and long's edges, and not quite numbers.</summary>
    public static readonly Gen<string> Number = Gen.OneOf(
        Gen.OneOf(
            "0", "1", "-1", "-0", "+1", "01", "00000000000000000000001", " 1", "1 ", "1.5", "1e3", "0x10", "½", "١",
            "2147483646", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
            "9223372036854775806", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "18446744073709551615", "18446744073709551616", "99999999999999999999999999999999999999", "NaN", "Infinity", ""),
        Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Long.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Int[0, 10_000].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Text of any character, short or long, not yet encoded.</summary>
    public static readonly Gen<string> AnyText = Gen.OneOf(
        Gen.String[0, 40],
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789._-/:@"], 0, 80],
        Gen.String[Gen.Char["aZ09._-/:%+=?&#;, \"'\\<>{}[]|^`~!$*()"], 0, 80],
        Gen.Int[1, 70_000].Select(n => new string('a', n)));

    /// <summary>Repository names in wire form: real ones, at and past the grammar's limits, and random text.</summary>
    public static readonly Gen<string> Name = Gen.Frequency(
        (6, Gen.OneOf(KnownContent.Repository, KnownContent.Kept, "public/pub", "fuzz/other", "a")),
        (6, Gen.OneOf(
            new string('a', 255), new string('a', 256), "a/" + new string('b', 253), string.Join('/', Enumerable.Repeat("a", 128)),
            string.Join('/', Enumerable.Repeat("a", 1000)), new string('a', 5000), "A", "Fuzz/App", "a..b", "a__b", "a___b", "a--b", "-a", "a-",
            "_a", "a/", "/a", "a//b", ".", "..", "a/../b", "a/./b", "%2e%2e", "a%2Fb", "a%2fb", "%61", "a%00b", "%FF%FE", "%C3%28", "%ED%A0%80",
            "%F4%90%80%80", "%C0%AF", "%E2%80%AE", "caf%C3%A9", "a%20b", "a+b", "a;b", "a:b", "a@b", "_catalog", "v2", "blobs", "manifests",
            "a/blobs", "a/manifests/b", "a/tags/list", "a/blobs/uploads", "%", "%%", "%G0", "a%", "%2", "kept%2Fbase", "KEPT/base")),
        (3, AnyText.Select(Escape)));

    /// <summary>Digests in wire form: the real ones, well-formed unknown ones, and many kinds of wrong.</summary>
    public static readonly Gen<string> Digest = Gen.Frequency(
        (5, Gen.OneOf(KnownContent.LayerDigest, KnownContent.ConfigDigest, KnownContent.ManifestDigest)),
        (3, Gen.Byte.Array[32].Select(bytes => "sha256:" + Convert.ToHexStringLower(bytes))),
        (1, Gen.Byte.Array[64].Select(bytes => "sha512:" + Convert.ToHexStringLower(bytes))),
        (6, Gen.OneOf(
            "sha256:", ":", "sha256", ":abc", "sha256:" + new string('0', 63), "sha256:" + new string('0', 65), "sha256:" + new string('A', 64),
            "SHA256:" + new string('a', 64), "sha256:" + new string('g', 64), "sha512:" + new string('a', 64), "sha384:" + new string('a', 96),
            "md5:d41d8cd98f00b204e9800998ecf8427e", "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564", "blake3:" + new string('a', 64),
            "sha256:" + new string('a', 100_000), new string('a', 10_000) + ":" + new string('a', 64), "sha256:%00" + new string('a', 62),
            "sha256:" + new string('a', 63) + "%FF", "sha256%3A" + new string('a', 64), "sha256::" + new string('a', 64),
            " sha256:" + new string('a', 64), "sha256:" + new string('a', 64) + "%20", KnownContent.LayerDigest.ToUpperInvariant())),
        (2, AnyText.Select(Escape)));

    /// <summary>Tags and references in wire form.</summary>
    public static readonly Gen<string> Reference = Gen.Frequency(
        (4, Digest),
        (3, Gen.OneOf(KnownContent.Tag, "latest", new string('t', 128), new string('t', 129), "-t", ".t", "_t", "T", "t.t-t_t", "a:b",
            "a%2Fb", "%FF", "%00", "caf%C3%A9", "..", "%2e%2e", "t%20t", "t+t", new string('t', 70_000))),
        (2, AnyText.Select(Escape)));

    /// <summary>Upload session ids: a fresh real session, and ids that name none (or try to climb out of the folder).</summary>
    public static readonly Gen<string> UploadId = Gen.Frequency(
        (6, Gen.Const(FuzzRequest.Upload)),
        (3, Gen.OneOf(
            Guid.Empty.ToString(), "00000000-0000-0000-0000-000000000000", "..", "%2e%2e", "..%2F..%2F..%2Fetc", "%2F", "a%00", "%FF",
            FuzzRequest.Upload + "%00", FuzzRequest.Upload.ToUpperInvariant(), new string('a', 10_000), "0", "-1", "lock", "data", "hashstates",
            "_uploads", "startedat")),
        (1, Gen.Guid.Select(guid => guid.ToString())),
        (1, AnyText.Select(Escape)));

    /// <summary>Media types for Accept, Content-Type and artifactType.</summary>
    public static readonly Gen<string> MediaType = Gen.Frequency(
        (4, Gen.OneOf(
            Oci.MediaTypes.OciImageManifest, Oci.MediaTypes.OciImageIndex, Oci.MediaTypes.DockerManifest, Oci.MediaTypes.DockerManifestList,
            Oci.MediaTypes.DockerManifestV1, Oci.MediaTypes.DockerManifestV1Signed, Oci.MediaTypes.OciEmpty, "application/json", "*/*")),
        (4, Gen.OneOf(
            "", " ", ";", "/", "*", "a/b/c", "application/", "/json", "application/vnd.oci.image.manifest.v1+json;", "text/plain; charset=utf-8",
            Oci.MediaTypes.OciImageManifest + "; charset=utf-8", Oci.MediaTypes.OciImageManifest + ";q=0", Oci.MediaTypes.OciImageManifest + ";q=abc",
            Oci.MediaTypes.OciImageManifest + ";q=1e400", "application/vnd.oci.image.manifest.v1+json, */*;q=0.0001",
            string.Join(",", Enumerable.Repeat(Oci.MediaTypes.DockerManifest, 1000)), "application/" + new string('x', 8000), "\"quoted\"",
            "application/json; charset=\"", "a=b", "application/vnd.oci.image.manifest.v1+json\t", "APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON")),
        (1, Gen.String[Gen.Char[' ', '~'], 0, 200]));

    /// <summary>Text that is fine in a header value (printable ASCII), short or long.</summary>
    public static readonly Gen<string> HeaderText = Gen.OneOf(
        Gen.String[Gen.Char[' ', '~'], 0, 100],
        Gen.Int[100, 20_000].Select(n => new string('x', n)));

    /// <summary>
    /// Percent-encodes everything but unreserved characters, '/' and ':': the target keeps its
    /// shape and every other byte, UTF-8 or not, arrives as the generator meant.
    /// </summary>
    public static string Escape(string value) => Escape(value, "-._~/:");

    /// <summary>For a query value: '/', ':', '&amp;' and '=' are encoded too.</summary>
    public static string EscapeQuery(string value) => Escape(value, "-._~");

    private static string Escape(string value, string keep)
    {
        var text = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || keep.Contains((char)b, StringComparison.Ordinal))
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
