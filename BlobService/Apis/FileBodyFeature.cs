using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using RegistryCloud.BlobService.Extensions;
using RegistryCloud.Configuration;
using RegistryCloud.Hosting;
using RegistryCloud.Storage.FileSystem;

namespace RegistryCloud.BlobService.Apis;

/// <summary>
/// Sends a local blob file for <see cref="Results.File(string, string?, string?, DateTimeOffset?, Microsoft.Net.Http.Headers.EntityTagHeaderValue?, bool)"/>,
/// which keeps doing Range, If-None-Match, If-Range and HEAD; <see cref="FileRangeCopy"/> moves
/// the bytes. When the gateway offered to send the file itself (<see cref="BlobFileHandoff"/>),
/// the range the file result settled on is handed to it instead, with an empty body: the status
/// and every header stay this service's decision, only the bytes skip a process.
/// </summary>
internal sealed class FileBodyFeature(IHttpResponseBodyFeature inner, HttpResponse response, BlobServiceMetrics metrics, bool directReads, string? handoffPath)
    : IHttpResponseBodyFeature
{
    public Stream Stream => inner.Stream;

    public PipeWriter Writer => inner.Writer;

    /// <summary>
    /// Installs the feature for a file result of the blob stored at <paramref name="storagePath"/>
    /// (the storage driver's path, which the gateway resolves under its own view of the root).
    /// </summary>
    public static void Install(HttpContext context, string storagePath)
    {
        var features = context.Features;
        if (features.Get<IHttpResponseBodyFeature>() is { } current and not FileBodyFeature)
        {
            var services = context.RequestServices;
            var handoff = context.Request.Headers.ContainsKey(BlobFileHandoff.AcceptHeader) ? storagePath : null;
            features.Set<IHttpResponseBodyFeature>(new FileBodyFeature(
                current, context.Response, services.GetRequiredService<BlobServiceMetrics>(), services.GetRequiredService<RegistryStorageOptions>().DirectIo, handoff));
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

        if (handoffPath is not null && !response.HasStarted)
        {
            // The file result has set the status, Content-Range and Content-Length of the range; the
            // gateway restores the length when it sends the bytes.
            response.Headers[BlobFileHandoff.Header] = BlobFileHandoff.Format(handoffPath, offset, remaining);
            response.ContentLength = 0;
            metrics.BytesHandedOff(remaining);
            return;
        }

        await inner.StartAsync(cancellationToken);
        metrics.BytesSent(await FileRangeCopy.CopyAsync(handle, offset, remaining, inner.Writer, directReads, cancellationToken));
    }
}
