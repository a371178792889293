using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;

namespace RegistryCloud.Storage.FileSystem;

/// <summary>
/// Writes a range of a local file into a response pipe. Kestrel has no kernel sendfile: its
/// SendFileAsync copies through a 16 KiB buffer with an asynchronous read (a thread-pool hop on
/// Linux) and a flush per buffer. Here the file is read straight into the pipe's memory in large
/// pieces, so each byte is copied once in user space and the next piece is read while the socket
/// sends the last; a large range that is not in the page cache is read with O_DIRECT instead
/// (<see cref="DirectFileReader"/>). Used by BlobService and by the gateway when it sends a blob
/// file BlobService handed it.
/// </summary>
public static class FileRangeCopy
{
    // Large enough that per-piece costs vanish, small enough to stay in cache (measured in docs/performance.md).
    public const int PieceSize = 256 * 1024;

    /// <summary>
    /// Writes <c>[offset, offset + count)</c> of the file into the writer, flushing after each piece.
    /// Returns the bytes written: fewer than asked only when the reader completed (the client left);
    /// throws <see cref="EndOfStreamException"/> when the file ends early.
    /// </summary>
    public static async Task<long> CopyAsync(SafeFileHandle handle, long offset, long count, PipeWriter writer, bool directReads, CancellationToken cancellationToken)
    {
        if (directReads && DirectFileReader.TryBegin(handle, offset, count))
        {
            return await DirectFileReader.CopyAsync(handle, offset, count, writer, cancellationToken);
        }

        var position = offset;
        var remaining = count;
        while (remaining > 0)
        {
            var memory = writer.GetMemory((int)Math.Min(PieceSize, remaining));
            if (memory.Length > remaining)
            {
                memory = memory[..(int)remaining];
            }

            // A blob being pulled is almost always in the page cache; a synchronous read of it
            // costs less than the thread-pool round trip an asynchronous one takes on Linux.
            var read = RandomAccess.Read(handle, memory.Span, position);
            if (read == 0)
            {
                throw new EndOfStreamException($"The file ended {remaining} bytes short of the range.");
            }

            writer.Advance(read);
            position += read;
            remaining -= read;
            var flush = await writer.FlushAsync(cancellationToken);
            if (flush.IsCompleted || flush.IsCanceled)
            {
                break;
            }
        }

        return position - offset;
    }
}
