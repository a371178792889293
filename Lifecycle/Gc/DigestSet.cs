using System.Buffers.Binary;
using RegistryCloud.Oci;

namespace RegistryCloud.Lifecycle.Gc;

/// <summary>
/// A set of digests kept as their first 32 bytes (all of a SHA-256, half of a SHA-512) and the
/// algorithm: about 40 bytes a digest, so a collection over millions of blobs stays small.
/// </summary>
internal sealed class DigestSet
{
    private readonly HashSet<Key> _keys = [];

    public int Count => _keys.Count;

    /// <summary>Adds a digest; false when it was there.</summary>
    public bool Add(Digest digest) => _keys.Add(Key.Of(digest));

    public bool Contains(Digest digest) => _keys.Contains(Key.Of(digest));

    private readonly record struct Key(ulong A, ulong B, ulong C, ulong D, bool Sha512)
    {
        public static Key Of(Digest digest)
        {
            Span<byte> bytes = stackalloc byte[32];
            Convert.FromHexString(digest.Encoded.AsSpan(0, 64), bytes, out _, out _);
            return new Key(
                BinaryPrimitives.ReadUInt64LittleEndian(bytes),
                BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]),
                digest.Algorithm == Digest.Sha512);
        }
    }
}
