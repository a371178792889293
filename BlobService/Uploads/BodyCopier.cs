using System.Buffers;
using System.IO.Pipelines;
using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Uploads;

/// <summary>
/// The upload data path: request body segments are hashed and written straight from Kestrel's
/// buffers, never gathered into one blob-sized buffer.
/// </summary>
internal static class BodyCopier
{
    private const int RehashBufferSize = 1024 * 1024;

    public static async Task<long> CopyAsync(PipeReader body, IStorageWriter writer, ResumableHash hash, CancellationToken cancellationToken)
    {
        long copied = 0;
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            foreach (var segment in buffer)
            {
                // Bytes that arrived are written even when the client goes away meanwhile (only the
                // read waits on it): the hash and the file then end at the same byte, so the running
                // hash can be saved and a retry resumes without reading the data back.
                hash.Append(segment.Span);
                await writer.WriteAsync(segment, CancellationToken.None);
            }

            copied += buffer.Length;
            body.AdvanceTo(buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return copied;
            }
        }
    }

    /// <summary>Hashes the first <paramref name="length"/> bytes of a stream: how a running hash is rebuilt.</summary>
    public static async Task HashPrefixAsync(Stream source, long length, ResumableHash hash, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(RehashBufferSize);
        try
        {
            var remaining = length;
            while (remaining > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException($"Stored upload data ended {remaining} bytes short of {length}.");
                }

                hash.Append(buffer.AsSpan(0, read));
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
