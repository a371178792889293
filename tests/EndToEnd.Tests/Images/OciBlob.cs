using System.Security.Cryptography;

namespace RegistryCloud.EndToEnd.Tests.Images;

/// <summary>Content and how it is addressed: the bytes, their sha256 digest and media type.</summary>
public sealed record OciBlob(string MediaType, string Digest, byte[] Bytes)
{
    public long Size => Bytes.LongLength;

    public static OciBlob Of(string mediaType, byte[] bytes) => new(mediaType, DigestOf(bytes), bytes);

    public static string DigestOf(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
