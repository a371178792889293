using System.Security.Cryptography;

namespace RegistryCloud.Bench.Content;

/// <summary>
/// A content digest, <c>algorithm ":" hex</c>. The benchmark keeps its own rather than using
/// Core's: the instrument must not share code with what it measures, so a fault in the
/// registry's digest handling cannot hide itself in the bench's verification.
/// </summary>
internal readonly record struct BlobDigest(string Algorithm, string Encoded)
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    public override string ToString() => Algorithm + ":" + Encoded;

    public static BlobDigest Parse(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var algorithm = colon > 0 ? value[..colon] : "";
        var encoded = colon > 0 ? value[(colon + 1)..] : "";
        var length = algorithm switch
        {
            Sha256 => 64,
            Sha512 => 128,
            _ => 0,
        };
        if (length == 0 || encoded.Length != length || !encoded.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            throw new FormatException($"'{value}' is not a sha256 or sha512 digest.");
        }

        return new BlobDigest(algorithm, encoded);
    }

    public static BlobDigest FromHash(string algorithm, ReadOnlySpan<byte> hash) => new(algorithm, Convert.ToHexStringLower(hash));

    public static BlobDigest Compute(ReadOnlySpan<byte> content) => FromHash(Sha256, SHA256.HashData(content));

    public static IncrementalHash CreateHash(string algorithm) => algorithm switch
    {
        Sha256 => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        Sha512 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw new ArgumentException($"Unsupported digest algorithm '{algorithm}'.", nameof(algorithm)),
    };
}
