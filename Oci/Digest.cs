using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace RegistryCloud.Oci;

/// <summary>
/// A content digest, <c>algorithm ":" encoded</c> (OCI image-spec, descriptor.md#digests).
/// Only the registered algorithms sha256 and sha512 are accepted: a digest this registry
/// cannot verify is as good as malformed.
/// </summary>
public readonly record struct Digest
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    private Digest(string algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
    }

    public string Algorithm { get; }

    public string Encoded { get; }

    public override string ToString() => Algorithm + ":" + Encoded;

    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest)
    {
        digest = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var algorithm = value[..colon];
        var encoded = value.AsSpan(colon + 1);
        var expectedLength = HexLength(algorithm);
        if (expectedLength == 0 || encoded.Length != expectedLength || !IsLowerHex(encoded))
        {
            return false;
        }

        digest = new Digest(algorithm == Sha256 ? Sha256 : Sha512, encoded.ToString());
        return true;
    }

    public static Digest Parse(string value) =>
        TryParse(value, out var digest) ? digest : throw new FormatException($"'{value}' is not a valid digest.");

    public static bool IsSupportedAlgorithm(string? algorithm) => HexLength(algorithm) != 0;

    /// <summary>Builds a digest from a finished hash of the given algorithm.</summary>
    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash)
    {
        if (hash.Length * 2 != HexLength(algorithm))
        {
            throw new ArgumentException($"A {algorithm} hash has {HexLength(algorithm) / 2} bytes, not {hash.Length}.", nameof(hash));
        }

        return new Digest(algorithm == Sha256 ? Sha256 : Sha512, Convert.ToHexStringLower(hash));
    }

    public static Digest Compute(ReadOnlySpan<byte> content, string algorithm = Sha256) =>
        algorithm == Sha512
            ? FromHash(Sha512, SHA512.HashData(content))
            : FromHash(Sha256, SHA256.HashData(content));

    public static IncrementalHash CreateHash(string algorithm) => algorithm switch
    {
        Sha256 => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        Sha512 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw new ArgumentException($"Unsupported digest algorithm '{algorithm}'.", nameof(algorithm)),
    };

    private static int HexLength(string? algorithm) => algorithm switch
    {
        Sha256 => 64,
        Sha512 => 128,
        _ => 0,
    };

    private static bool IsLowerHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
