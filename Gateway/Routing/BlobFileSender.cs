using RegistryCloud.Configuration;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Storage.FileSystem;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace RegistryCloud.Gateway.Routing;

/// <summary>
/// The gateway's side of <see cref="BlobFileHandoff"/>: on a blob GET it offers to send the file
/// itself when it can read the storage (the filesystem storage's root, or the same object storage
/// with the same credentials), and when BlobService takes the offer it sends the named range
/// straight from the file (or object) into the response. Without it every pulled byte was read
/// by BlobService, written to loopback, read again here and written to the client; now it is read
/// here once (docs/performance.md, "What bounds pull"). BlobService keeps every decision: the
/// gateway only sends a range of the one file its answer names, and only the data file of the
/// digest the client asked for.
/// </summary>
internal sealed partial class BlobFileSender(RegistryConfiguration registry, ILoggerFactory loggers, TimeProvider time)
{
    /// <summary>How long the gateway leaves object storage to BlobService after it failed to read there itself.</summary>
    public static readonly TimeSpan ObjectStoragePause = TimeSpan.FromMinutes(1);

    // Object storage reads go through the range the driver streams; one piece per read keeps the
    // pipe's buffers as large as the local-file path's.
    private const int ObjectPieceSize = FileRangeCopy.PieceSize;

    private readonly ILogger _logger = loggers.CreateLogger<BlobFileSender>();

    private readonly string? _root = registry.Storage is { Driver: StorageConfiguration.FileSystemDriver, FileSystem: { } fileSystem }
        ? Path.GetFullPath(fileSystem.RootDirectory)
        : null;

    private readonly bool _directReads = registry.Storage.FileSystem?.DirectIo ?? false;

    // Object storage (s3, azure): the same driver BlobService uses, built on first use.
    private readonly Lazy<IStorageDriver>? _objects = registry.Storage.Driver is StorageConfiguration.S3Driver or StorageConfiguration.AzureDriver
        ? new(() => StorageDrivers.Create(RegistryStorageOptions.From(registry.Storage), loggers, time))
        : null;

    private long _objectsPausedUntil;

    /// <summary>
    /// Whether the storage BlobService writes is readable here: on the filesystem, the root holds
    /// Distribution's tree (a gateway without the volume, or before the first push, never offers and
    /// BlobService sends); on object storage, unless a read failed here within the last minute.
    /// </summary>
    public bool CanSend => _root is not null
        ? Directory.Exists(Path.Join(_root, "docker", "registry", "v2"))
        : _objects is not null && time.GetTimestamp() >= Interlocked.Read(ref _objectsPausedUntil);

    /// <summary>Request transform: what a client sent under either header is dropped; the offer is the gateway's alone.</summary>
    public ValueTask OfferAsync(RequestTransformContext context)
    {
        var headers = context.ProxyRequest.Headers;
        headers.Remove(BlobFileHandoff.AcceptHeader);
        headers.Remove(BlobFileHandoff.Header);
        if (HttpMethods.IsGet(context.HttpContext.Request.Method) && IsBlobCluster(context.HttpContext) && CanSend)
        {
            headers.TryAddWithoutValidation(BlobFileHandoff.AcceptHeader, "1");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Response transform: sends the range BlobService handed over; the handoff header never reaches the client.</summary>
    public async ValueTask SendAsync(ResponseTransformContext context)
    {
        var http = context.HttpContext;
        if (!http.Response.Headers.TryGetValue(BlobFileHandoff.Header, out var handoff))
        {
            return;
        }

        http.Response.Headers.Remove(BlobFileHandoff.Header);

        context.SuppressResponseBody = true;
        if ((_root is null && _objects is null)
            || !HttpMethods.IsGet(http.Request.Method)
            || !IsBlobCluster(http)
            || !Digest.TryParse(OciPathParser.Parse(http.Request.Path.Value).Argument, out var digest)
            || !BlobFileHandoff.TryParse(handoff, digest, out var storagePath, out var offset, out var count))
        {
            // Only an offer that was made can be taken, and only for the asked digest's own file.
            RefusedHandoff(_logger, http.Request.Path, handoff.ToString());
            await AnswerAsync(http.Response, OciErrorCode.Unknown, "the blob could not be sent");
            return;
        }

        if (_root is null)
        {
            await SendObjectAsync(http, digest, storagePath, offset, count);
            return;
        }

        var path = Path.Join(_root, storagePath);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Removed (deleted, collected) between BlobService's answer and here: as if a moment later.
            await AnswerAsync(http.Response, OciErrorCode.BlobUnknown, digest.ToString());
            return;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            CannotRead(_logger, path, e);
            await AnswerAsync(http.Response, OciErrorCode.Unavailable, "the blob could not be read; try again");
            return;
        }

        using (handle)
        {
            if (offset + count > RandomAccess.GetLength(handle))
            {
                CannotRead(_logger, path, new EndOfStreamException($"the range {offset}+{count} is past the file's end"));
                await AnswerAsync(http.Response, OciErrorCode.Unavailable, "the blob could not be read; try again");
                return;
            }

            http.Response.ContentLength = count;
            try
            {
                await FileRangeCopy.CopyAsync(handle, offset, count, http.Response.BodyWriter, _directReads, http.RequestAborted);
            }
            catch (Exception) when (http.RequestAborted.IsCancellationRequested)
            {
                // The client went away: nothing is left to answer.
            }
            catch (Exception e)
            {
                // Part of the body may be out: cut the connection so the client sees a short body, not a complete-looking one.
                CannotRead(_logger, path, e);
                http.Abort();
            }
        }
    }

    private async Task SendObjectAsync(HttpContext http, Digest digest, string storagePath, long offset, long count)
    {
        Stream? source;
        try
        {
            source = await _objects!.Value.OpenReadAsync(storagePath, offset, http.RequestAborted);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            // Credentials, network or the driver's settings differ from BlobService's: leave the bytes
            // to BlobService for a while rather than fail every pull, and say why.
            Interlocked.Exchange(ref _objectsPausedUntil, time.GetTimestamp() + (long)(ObjectStoragePause.TotalSeconds * time.TimestampFrequency));
            CannotReadObject(_logger, storagePath, ObjectStoragePause, e);
            await AnswerAsync(http.Response, OciErrorCode.Unavailable, "the blob could not be read; try again");
            return;
        }

        if (source is null)
        {
            await AnswerAsync(http.Response, OciErrorCode.BlobUnknown, digest.ToString());
            return;
        }

        await using (source)
        {
            http.Response.ContentLength = count;
            var writer = http.Response.BodyWriter;
            try
            {
                var remaining = count;
                while (remaining > 0)
                {
                    var memory = writer.GetMemory((int)Math.Min(ObjectPieceSize, remaining));
                    if (memory.Length > remaining)
                    {
                        memory = memory[..(int)remaining];
                    }

                    var read = await source.ReadAsync(memory, http.RequestAborted);
                    if (read == 0)
                    {
                        throw new EndOfStreamException($"the object ended {remaining} bytes short of the range");
                    }

                    writer.Advance(read);
                    remaining -= read;
                    var flush = await writer.FlushAsync(http.RequestAborted);
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        return;
                    }
                }
            }
            catch (Exception) when (http.RequestAborted.IsCancellationRequested)
            {
                // The client went away.
            }
            catch (Exception e)
            {
                CannotRead(_logger, storagePath, e);
                http.Abort();
            }
        }
    }

    private static bool IsBlobCluster(HttpContext http) =>
        http.Features.Get<IReverseProxyFeature>()?.Cluster.Config.ClusterId == RegistryClusterSelector.BlobsClusterId;

    private static Task AnswerAsync(HttpResponse response, OciErrorCode code, string detail)
    {
        // BlobService's headers were for the bytes that are not coming.
        response.Headers.Clear();
        return OciErrorResult.WriteAsync(response, code, detail);
    }

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "A blob file handoff for {Path} was refused: '{Handoff}' does not name the asked digest's data file")]
    private static partial void RefusedHandoff(ILogger logger, string path, string handoff);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "The blob file {File} could not be sent")]
    private static partial void CannotRead(ILogger logger, string file, Exception exception);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "The blob object {Path} could not be read by the gateway; BlobService sends blob bytes for the next {Pause}")]
    private static partial void CannotReadObject(ILogger logger, string path, TimeSpan pause, Exception exception);
}
