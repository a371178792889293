using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;

namespace RegistryCloud.Storage.FileSystem;

/// <summary>
/// Sends a large range of a file that is not in the page cache with <c>O_DIRECT</c> reads: the
/// disk DMAs into page-aligned blocks, one block is read ahead while the last is copied into the
/// response, and the page cache is left alone (as nginx's <c>directio</c> does for large files).
/// <para>
/// Why: blob data is written with <c>O_DIRECT</c> (<see cref="DirectFileWriter"/>), so a blob
/// just pushed is not cached, and filling the cache costs more CPU than the pull itself
/// (docs/performance.md, "Measured design choices"). The price: a range read this way never
/// warms the cache, so every pull of it reads the disk. Ranges that are mostly cached, and small ones, keep the buffered path.
/// </para>
/// </summary>
public static class DirectFileReader
{
    /// <summary>Ranges shorter than this are read through the page cache.</summary>
    public const long MinimumLength = 2 * AlignedBlockPool.BlockSize;

    /// <summary>
    /// Switches the handle to direct reads when the range is long and less than half of it is
    /// cached; false (handle unchanged) when buffered reads serve it better or direct I/O is
    /// unavailable.
    /// </summary>
    public static bool TryBegin(SafeFileHandle handle, long offset, long length) =>
        length >= MinimumLength
        && DirectIo.CachedBytes(handle, offset, length) is { } cached
        && cached < length / 2
        && DirectIo.TrySet(handle, direct: true);

    /// <summary>
    /// Writes <c>[offset, offset + length)</c> of a handle that <see cref="TryBegin"/> switched to
    /// direct reads into the writer, flushing after each block. Returns the bytes written, fewer
    /// than asked only when the reader completed; throws when the file ends early.
    /// </summary>
    public static async Task<long> CopyAsync(SafeFileHandle handle, long offset, long length, PipeWriter writer, CancellationToken cancellationToken)
    {
        var end = offset + length;
        var readAt = offset - (offset % DirectIo.Alignment);
        var skip = (int)(offset - readAt);
        Memory<byte>[] blocks = [AlignedBlockPool.Rent(), AlignedBlockPool.Rent()];
        var current = 0;
        Task<int>? pending = ReadAsync(handle, blocks[current], readAt);
        long written = 0;
        try
        {
            while (written < length)
            {
                var read = await pending!;
                pending = null;
                var blockStart = readAt;
                readAt += read;
                var usable = (int)Math.Min(read, end - blockStart);
                if (usable <= skip)
                {
                    throw new EndOfStreamException($"The file ended {length - written} bytes short of the range.");
                }

                if (readAt < end)
                {
                    pending = ReadAsync(handle, blocks[current ^ 1], readAt);
                }

                writer.Write(blocks[current].Span[skip..usable]);
                written += usable - skip;
                skip = 0;
                current ^= 1;
                var flush = await writer.FlushAsync(cancellationToken);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        finally
        {
            // The block being read into goes back to the pool only once the kernel is done with it.
            if (pending is not null)
            {
                await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            AlignedBlockPool.Return(blocks[0]);
            AlignedBlockPool.Return(blocks[1]);
        }

        return written;
    }

    // A thread-pool read (RandomAccess reads synchronously on Linux anyway), so the disk works while
    // the caller sends the block before; a refused direct read falls back to buffered.
    private static Task<int> ReadAsync(SafeFileHandle handle, Memory<byte> block, long offset) =>
        Task.Run(() => DirectIo.Read(handle, block.Span, offset, out _));
}
