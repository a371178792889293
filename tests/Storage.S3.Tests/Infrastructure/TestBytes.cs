using System.Security.Cryptography;

namespace RegistryCloud.Storage.S3.Tests.Infrastructure;

/// <summary>Deterministic pseudo-random content, produced and checked a piece at a time.</summary>
internal static class TestBytes
{
    /// <summary><paramref name="length"/> bytes of the stream numbered <paramref name="seed"/>, from <paramref name="offset"/>.</summary>
    public static byte[] Slice(int seed, long offset, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            var position = offset + i;
            bytes[i] = (byte)((position * 2654435761L >> 13) ^ (position >> 7) ^ seed);
        }

        return bytes;
    }

    public static async Task<string> Sha256Async(Stream stream, CancellationToken cancellationToken) =>
        Convert.ToHexString(await SHA256.HashDataAsync(stream, cancellationToken));

    public static string Sha256(int seed, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (long offset = 0; offset < length; offset += 1 << 20)
        {
            hash.AppendData(Slice(seed, offset, (int)Math.Min(1 << 20, length - offset)));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
