using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using RegistryCloud.BlobService.Extensions;
using RegistryCloud.Configuration;
using RegistryCloud.Storage.FileSystem;

namespace RegistryCloud.BlobService.Apis;

/// <summary>
/// Sends a local blob file for <see cref="Results.File(string, string?, string?, DateTimeOffset?, Microsoft.Net.Http.Headers.EntityTagHeaderValue?, bool)"/>,
/// which keeps doing Range, If-None-Match, If-Range and HEAD. Kestrel has no kernel sendfile:
/// its SendFileAsync copies through a 16 KiB buffer with an asynchronous read (a thread-pool
/// hop on Linux) and a flush per buffer. Here the file is read straight into the response
/// pipe's memory in large pieces, so each byte is copied once in user space and the next
/// piece is read while the socket sends the last. A large range that is not in the page cache
/// is read with O_DIRECT instead (<see cref="DirectFileReader"/>).
/// </summary>
internal sealed class FileBodyFeature(IHttpResponseBodyFeature inner, BlobServiceMetrics metrics, bool directReads) : IHttpResponseBodyFeature
{
    // Large enough that per-piece costs vanish, small enough to stay in cache (measured in docs/performance.md).
    internal const int PieceSize = 256 * 1024;

    public Stream Stream => inner.Stream;

    public PipeWriter Writer => inner.Writer;

    public static void Install(HttpContext context)
    {
        var features = context.Features;
        if (features.Get<IHttpResponseBodyFeature>() is { } current and not FileBodyFeature)
        {
            var services = context.RequestServices;
            features.Set<IHttpResponseBodyFeature>(new FileBodyFeature(
                current, services.GetRequiredService<BlobServiceMetrics>(), services.GetRequiredService<RegistryStorageOptions>().DirectIo));
        }
    }

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task CompleteAsync() => inner.CompleteAsync();

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(handle);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, length);
        var remaining = count ?? length - offset;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(remaining, length - offset, nameof(count));

        await inner.StartAsync(cancellationToken);
        var writer = inner.Writer;
        var position = offset;
        try
        {
            if (directReads && DirectFileReader.TryBegin(handle, offset, remaining))
            {
                position += await DirectFileReader.CopyAsync(handle, offset, remaining, writer, cancellationToken);
                return;
            }

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
                    throw new EndOfStreamException($"{path} ended {remaining} bytes short.");
                }

                writer.Advance(read);
                position += read;
                remaining -= read;
                var flush = await writer.FlushAsync(cancellationToken);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    return;
                }
            }
        }
        finally
        {
            metrics.BytesSent(position - offset);
        }
    }
}
