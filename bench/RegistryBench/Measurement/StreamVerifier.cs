using System.Buffers;
using RegistryCloud.Bench.Content;

namespace RegistryCloud.Bench.Measurement;

/// <summary>What a streamed read saw: how many bytes, and their digest.</summary>
internal sealed record VerifyResult(long Bytes, BlobDigest Actual, BlobDigest Expected, long? ExpectedLength)
{
    public bool Matches => Actual == Expected && (ExpectedLength is null || ExpectedLength == Bytes);

    public string Describe() => Matches
        ? $"{Bytes} bytes, {Actual}"
        : $"expected {Expected} ({ExpectedLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any"} bytes), read {Actual} ({Bytes} bytes)";
}

/// <summary>
/// Reads a body to its end while hashing it, through one pooled buffer, so a pull is verified
/// as it streams and never held in memory.
/// </summary>
internal static class StreamVerifier
{
    public const int BufferSize = 256 * 1024;

    public static async Task<VerifyResult> VerifyAsync(Stream body, BlobDigest expected, long? expectedLength, CancellationToken cancellationToken)
    {
        using var hash = BlobDigest.CreateHash(expected.Algorithm);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new VerifyResult(total, BlobDigest.FromHash(expected.Algorithm, hash.GetHashAndReset()), expected, expectedLength);
    }
}
