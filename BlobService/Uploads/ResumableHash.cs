using System.Buffers.Binary;
using System.Security.Cryptography;
using RegistryCloud.Oci;

namespace RegistryCloud.BlobService.Uploads;

/// <summary>
/// A running SHA-256 or SHA-512 whose state can be saved with an upload session and restored by
/// any replica, so resuming an upload costs work in proportion to the new bytes only. The saved
/// form is Go's (<c>crypto/sha256</c> and <c>crypto/sha512</c> <c>MarshalBinary</c>), the one
/// Distribution stores under <c>_uploads/&lt;id&gt;/hashstates/&lt;alg&gt;/&lt;offset&gt;</c>, so
/// either registry resumes a session the other began. Without OpenSSL
/// (<see cref="OpenSslSha.IsAvailable"/>) it is a plain <see cref="IncrementalHash"/> that cannot save.
/// </summary>
internal sealed class ResumableHash : IDisposable
{
    private const int Sha256Words = 8;
    private const int Sha256Block = 64;
    private const int Sha512Block = 128;

    private readonly byte[]? _context;
    private readonly IncrementalHash? _fallback;

    private ResumableHash(string algorithm, byte[]? context, IncrementalHash? fallback, long length)
    {
        Algorithm = algorithm;
        _context = context;
        _fallback = fallback;
        Length = length;
    }

    public string Algorithm { get; }

    /// <summary>How many bytes have been hashed.</summary>
    public long Length { get; private set; }

    /// <summary>Whether <see cref="SaveState"/> can save this hash.</summary>
    public bool CanSave => _context is not null;

    public static ResumableHash Create(string algorithm)
    {
        if (!OpenSslSha.IsAvailable)
        {
            return new ResumableHash(algorithm, null, Digest.CreateHash(algorithm), 0);
        }

        var context = NewContext(algorithm);
        OpenSslSha.Init(algorithm, context);
        return new ResumableHash(algorithm, context, null, 0);
    }

    /// <summary>Restores a saved state; null when it is not a valid state of this algorithm or cannot be resumed here.</summary>
    public static ResumableHash? Restore(string algorithm, ReadOnlySpan<byte> state)
    {
        if (!OpenSslSha.IsAvailable)
        {
            return null;
        }

        var context = NewContext(algorithm);
        OpenSslSha.Init(algorithm, context);
        var length = algorithm == Digest.Sha256 ? ReadSha256(state, context) : ReadSha512(state, context);
        return length is { } restored ? new ResumableHash(algorithm, context, null, restored) : null;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_context is not null)
        {
            OpenSslSha.Update(Algorithm, _context, data);
        }
        else
        {
            _fallback!.AppendData(data);
        }

        Length += data.Length;
    }

    /// <summary>The state in Go's marshalled form.</summary>
    public byte[] SaveState()
    {
        if (_context is null)
        {
            throw new InvalidOperationException("This hash cannot save its state (OpenSSL is not available).");
        }

        return Algorithm == Digest.Sha256 ? WriteSha256(_context, Length) : WriteSha512(_context, Length);
    }

    /// <summary>The digest of everything appended; the hash is spent afterwards.</summary>
    public Digest Finish()
    {
        if (_fallback is not null)
        {
            return Digest.FromHash(Algorithm, _fallback.GetHashAndReset());
        }

        Span<byte> hash = stackalloc byte[Algorithm == Digest.Sha256 ? 32 : 64];
        OpenSslSha.Final(Algorithm, _context, hash);
        return Digest.FromHash(Algorithm, hash);
    }

    public void Dispose() => _fallback?.Dispose();

    private static byte[] NewContext(string algorithm) =>
        new byte[algorithm == Digest.Sha256 ? OpenSslSha.Sha256ContextSize : OpenSslSha.Sha512ContextSize];

    // Go's sha256 state: "sha\x03", h[0..7] as big-endian 32-bit words, the 64-byte block buffer
    // (its used part first, then zeros), the total length in bytes as a big-endian 64-bit word.
    private static readonly byte[] Sha256Magic = "sha\x03"u8.ToArray();
    private static readonly byte[] Sha512Magic = "sha\x07"u8.ToArray();
    private const int Sha256StateSize = 4 + (8 * 4) + Sha256Block + 8;
    private const int Sha512StateSize = 4 + (8 * 8) + Sha512Block + 8;

    // SHA256_CTX: h[8] at 0, Nl at 32, Nh at 36 (a bit count), data at 40, num at 104, md_len at 108.
    private static byte[] WriteSha256(byte[] context, long length)
    {
        var state = new byte[Sha256StateSize];
        Sha256Magic.CopyTo(state, 0);
        for (var i = 0; i < Sha256Words; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(state.AsSpan(4 + (i * 4)), BinaryPrimitives.ReadUInt32LittleEndian(context.AsSpan(i * 4)));
        }

        var buffered = (int)(length % Sha256Block);
        context.AsSpan(40, buffered).CopyTo(state.AsSpan(36));
        BinaryPrimitives.WriteUInt64BigEndian(state.AsSpan(36 + Sha256Block), (ulong)length);
        return state;
    }

    private static long? ReadSha256(ReadOnlySpan<byte> state, byte[] context)
    {
        if (state.Length != Sha256StateSize || !state.StartsWith(Sha256Magic))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt64BigEndian(state[(36 + Sha256Block)..]);
        if (length > long.MaxValue / 8)
        {
            return null;
        }

        for (var i = 0; i < Sha256Words; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(i * 4), BinaryPrimitives.ReadUInt32BigEndian(state[(4 + (i * 4))..]));
        }

        var bits = length * 8;
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(32), (uint)bits);
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(36), (uint)(bits >> 32));
        var buffered = (int)(length % Sha256Block);
        state.Slice(36, buffered).CopyTo(context.AsSpan(40));
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(104), (uint)buffered);
        return (long)length;
    }

    // SHA512_CTX: h[8] at 0, Nl at 64, Nh at 72 (a 128-bit bit count), the block at 80, num at 208, md_len at 212.
    private static byte[] WriteSha512(byte[] context, long length)
    {
        var state = new byte[Sha512StateSize];
        Sha512Magic.CopyTo(state, 0);
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(state.AsSpan(4 + (i * 8)), BinaryPrimitives.ReadUInt64LittleEndian(context.AsSpan(i * 8)));
        }

        var buffered = (int)(length % Sha512Block);
        context.AsSpan(80, buffered).CopyTo(state.AsSpan(68));
        BinaryPrimitives.WriteUInt64BigEndian(state.AsSpan(68 + Sha512Block), (ulong)length);
        return state;
    }

    private static long? ReadSha512(ReadOnlySpan<byte> state, byte[] context)
    {
        if (state.Length != Sha512StateSize || !state.StartsWith(Sha512Magic))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt64BigEndian(state[(68 + Sha512Block)..]);
        if (length > long.MaxValue / 8)
        {
            return null;
        }

        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(context.AsSpan(i * 8), BinaryPrimitives.ReadUInt64BigEndian(state[(4 + (i * 8))..]));
        }

        BinaryPrimitives.WriteUInt64LittleEndian(context.AsSpan(64), length * 8);
        BinaryPrimitives.WriteUInt64LittleEndian(context.AsSpan(72), 0);
        var buffered = (int)(length % Sha512Block);
        state.Slice(68, buffered).CopyTo(context.AsSpan(80));
        BinaryPrimitives.WriteUInt32LittleEndian(context.AsSpan(208), (uint)buffered);
        return (long)length;
    }
}
