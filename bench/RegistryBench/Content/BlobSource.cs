using System.Buffers;
using System.Buffers.Binary;

namespace RegistryCloud.Bench.Content;

/// <summary>
/// The bytes of one benchmark blob, drawn from a seeded PRNG and never held whole in memory.
/// A pattern of up to <see cref="PatternLength"/> bytes comes from SplitMix64 seeded with
/// <see cref="Seed"/>; a longer blob repeats it with the first 8 bytes of every later block
/// stamped with a PRNG word of the block index, so no two blocks are equal and any offset can
/// be produced without reading what comes before it. Filling is a copy, so the client spends
/// its CPU on the wire and not on making bytes (the machine has few cores to share).
/// </summary>
internal sealed class BlobSource
{
    public const int PatternLength = 1 << 20;

    private readonly byte[] _pattern;

    public BlobSource(ulong seed, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Seed = seed;
        Length = length;
        var patternLength = (int)Math.Min(length, PatternLength);
        _pattern = new byte[(patternLength + 7) & ~7];
        for (var word = 0; word < _pattern.Length / 8; word++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_pattern.AsSpan(word * 8), SplitMix64(seed, (ulong)word));
        }
    }

    public ulong Seed { get; }

    public long Length { get; }

    /// <summary>Writes the blob's bytes from <paramref name="offset"/> into all of <paramref name="destination"/>.</summary>
    public void Fill(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, {offset + destination.Length}) is outside a blob of {Length} bytes.");
        }

        Span<byte> stamp = stackalloc byte[8];
        while (!destination.IsEmpty)
        {
            var block = offset / PatternLength;
            var within = (int)(offset % PatternLength);
            var count = Math.Min(destination.Length, PatternLength - within);
            _pattern.AsSpan(within, count).CopyTo(destination);
            if (block > 0 && within < stamp.Length)
            {
                // Block 0 is the pattern itself; later blocks differ from it in their first word.
                BinaryPrimitives.WriteUInt64LittleEndian(stamp, SplitMix64(~Seed, (ulong)block));
                var stamped = Math.Min(stamp.Length - within, count);
                stamp.Slice(within, stamped).CopyTo(destination);
            }

            destination = destination[count..];
            offset += count;
        }
    }

    /// <summary>The sha256 digest of the whole blob, hashed in pooled 1 MiB pieces.</summary>
    public BlobDigest ComputeDigest()
    {
        using var hash = BlobDigest.CreateHash(BlobDigest.Sha256);
        var buffer = ArrayPool<byte>.Shared.Rent(PatternLength);
        try
        {
            for (long offset = 0; offset < Length;)
            {
                var count = (int)Math.Min(PatternLength, Length - offset);
                Fill(offset, buffer.AsSpan(0, count));
                hash.AppendData(buffer, 0, count);
                offset += count;
            }

            Span<byte> result = stackalloc byte[32];
            hash.GetHashAndReset(result);
            return BlobDigest.FromHash(BlobDigest.Sha256, result);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>SplitMix64 (Steele, Lea, Flood 2014) in counter mode: word <paramref name="index"/> of stream <paramref name="seed"/>.</summary>
    internal static ulong SplitMix64(ulong seed, ulong index)
    {
        var z = seed + ((index + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
