using System.Buffers;
using RegistryCloud.BlobService.Blobs;
using RegistryCloud.Events;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;
using RegistryCloud.Proxy;
using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Proxy;

/// <summary>
/// The pull-through cache's blob side, for a pull of a blob a proxied repository does not link.
/// Content already stored is linked once the upstream confirms its repository holds it (so a
/// cache never exposes bytes another repository holds: invariant 2). An uncached blob is read
/// from upstream once, streamed to the client while it is written to an upload file and hashed,
/// and committed only when the digest matches; on a mismatch nothing is stored and the client's
/// transfer is aborted. A storage lock per digest makes concurrent pulls, on any replica, wait
/// for the one fetch and then serve the stored blob.
/// </summary>
internal sealed partial class BlobProxy(
    IStorageDriver driver, BlobStore blobs, UpstreamClient upstream, ProxyMetrics metrics, ILogger<BlobProxy> logger)
{
    private const string Kind = "blob";
    private const int ChunkSize = 1024 * 1024;

    // How often a pull waiting for another's fetch looks again; storage locks do not notify.
    private static readonly TimeSpan WaitInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Null when the blob is now linked in <paramref name="repository"/> (the caller serves it as
    /// any other); else the answer, already sent when the bytes were streamed.
    /// </summary>
    public async Task<IResult?> PullAsync(HttpContext context, string repository, ProxyTarget target, Digest digest)
    {
        var cancellationToken = context.RequestAborted;
        try
        {
            if (HttpMethods.IsHead(context.Request.Method))
            {
                return await LinkStoredAsync(repository, target, digest, cancellationToken) switch
                {
                    Stored.Linked => null,
                    Stored.NotUpstream => Unknown(target, digest),
                    _ => await HeadUpstreamAsync(context, target, digest),
                };
            }

            while (true)
            {
                switch (await LinkStoredAsync(repository, target, digest, cancellationToken))
                {
                    case Stored.Linked:
                        return null;
                    case Stored.NotUpstream:
                        return Unknown(target, digest);
                }

                using var fetch = await driver.TryLockAsync(LockPath(digest), cancellationToken);
                switch (fetch.Status)
                {
                    case StorageLockStatus.Missing:
                        await driver.PutContentAsync(RegistryPaths.ProxyFetchDirectory(digest) + "/started", Array.Empty<byte>(), cancellationToken);
                        continue;
                    case StorageLockStatus.Busy:
                        await Task.Delay(WaitInterval, cancellationToken);
                        continue;
                }

                // Another fetch may have committed between the look above and this lock.
                if (await blobs.StatContentAsync(digest, cancellationToken) is not null)
                {
                    continue;
                }

                metrics.Miss(target.Upstream, Kind);
                return await FetchAsync(context, repository, target, digest);
            }
        }
        catch (UpstreamException e)
        {
            metrics.Failed(target.Upstream, e.Failure);
            return UpstreamErrorResults.For(context, e);
        }
    }

    private enum Stored
    {
        Linked,
        Absent,
        NotUpstream,
    }

    /// <summary>
    /// Links stored content into the repository once the upstream confirms its repository holds
    /// it: the digest alone must not open another repository's bytes to this one's readers.
    /// </summary>
    private async Task<Stored> LinkStoredAsync(string repository, ProxyTarget target, Digest digest, CancellationToken cancellationToken)
    {
        if (await blobs.StatStoredAsync(repository, digest, cancellationToken) is not null)
        {
            return Stored.Linked;
        }

        if (await blobs.StatContentAsync(digest, cancellationToken) is not { } stored)
        {
            return Stored.Absent;
        }

        if (await upstream.HeadBlobAsync(target, digest, cancellationToken) is null)
        {
            return Stored.NotUpstream;
        }

        metrics.Hit(target.Upstream, Kind);
        await blobs.LinkAsync(repository, stored, cancellationToken);
        return Stored.Linked;
    }

    private static OciErrorResult Unknown(ProxyTarget target, Digest digest) =>
        OciResults.Error(OciErrorCode.BlobUnknown, $"{digest} is not in {target.Repository} upstream");

    private async Task<IResult> HeadUpstreamAsync(HttpContext context, ProxyTarget target, Digest digest)
    {
        if (await upstream.HeadBlobAsync(target, digest, context.RequestAborted) is not { } size)
        {
            return Unknown(target, digest);
        }

        var response = context.Response;
        response.Headers["Docker-Content-Digest"] = digest.ToString();
        response.ContentType = MediaTypes.OctetStream;
        if (size >= 0)
        {
            response.ContentLength = size;
        }

        return Results.Empty;
    }

    private async Task<IResult> FetchAsync(HttpContext context, string repository, ProxyTarget target, Digest digest)
    {
        var cancellationToken = context.RequestAborted;
        await using var body = await upstream.GetBlobAsync(target, digest, cancellationToken);
        if (body is null)
        {
            return Unknown(target, digest);
        }

        var uploadPath = RegistryPaths.UploadData(repository, Guid.NewGuid().ToString("D"));
        var response = context.Response;
        response.Headers["Docker-Content-Digest"] = digest.ToString();
        response.ContentType = MediaTypes.OctetStream;
        response.ContentLength = body.Length;
        await context.BlobPulledAsync(repository, digest, body.Length ?? -1);

        long size;
        Digest actual;
        try
        {
            (size, actual) = await CopyAsync(body, uploadPath, response, target, digest, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await DiscardAsync(uploadPath);
            LogFetchFailed(logger, digest.ToString(), target.Upstream.Name, e.Message);
            metrics.Failed(target.Upstream, e is UpstreamException u ? u.Failure : UpstreamFailure.Unavailable);
            context.Abort();
            return Results.Empty;
        }
        catch
        {
            await DiscardAsync(uploadPath);
            throw;
        }

        metrics.Fetched(target.Upstream, size);
        if (actual != digest || (body.Length is { } length && length != size))
        {
            // Invariant 1: nothing stored, and the client's transfer fails rather than ending
            // cleanly with bytes that are not the blob.
            await DiscardAsync(uploadPath);
            metrics.Failed(target.Upstream, UpstreamFailure.Invalid);
            LogDigestMismatch(logger, digest.ToString(), target.Upstream.Name, actual.ToString(), size);
            context.Abort();
            return Results.Empty;
        }

        var descriptor = new BlobDescriptor(digest, size, MediaTypes.OctetStream);
        await blobs.CommitAsync(uploadPath, descriptor, CancellationToken.None);
        await blobs.LinkAsync(repository, descriptor, CancellationToken.None);
        await DiscardAsync(uploadPath);

        // Pulls waiting on the lock find the blob stored; the fetch's folder is done with.
        await DiscardAsync(RegistryPaths.ProxyFetchDirectory(digest));
        await response.Body.FlushAsync(cancellationToken);
        return Results.Empty;
    }

    /// <summary>
    /// One read of the upstream feeds the file, the hash and the client. The client gets each
    /// chunk one behind, so the last one is sent only once the digest is known to match. The next
    /// chunk is read while the current one is written and the one before it sent (three buffers),
    /// so the upstream connection never waits on the disk or the client.
    /// </summary>
    private async Task<(long Size, Digest Digest)> CopyAsync(
        UpstreamBlob body, string uploadPath, HttpResponse response, ProxyTarget target, Digest digest, CancellationToken cancellationToken)
    {
        using var hash = Digest.CreateHash(digest.Algorithm);
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(ChunkSize), ArrayPool<byte>.Shared.Rent(ChunkSize), ArrayPool<byte>.Shared.Rent(ChunkSize)];
        var settled = false;
        long size = 0;
        try
        {
            await using var writer = await driver.OpenWriterAsync(uploadPath, append: false, cancellationToken);
            int reading = 0, pending = -1, pendingLength = 0;
            var fill = FillAsync(body.Content, buffers[reading], target, cancellationToken);
            while (true)
            {
                var read = await fill;
                if (read == 0)
                {
                    break;
                }

                var current = reading;
                size += read;
                hash.AppendData(buffers[current], 0, read);
                reading = current != 0 && pending != 0 ? 0 : current != 1 && pending != 1 ? 1 : 2;
                fill = FillAsync(body.Content, buffers[reading], target, cancellationToken);
                var write = writer.WriteAsync(buffers[current].AsMemory(0, read), cancellationToken);
                if (pending >= 0)
                {
                    await response.Body.WriteAsync(buffers[pending].AsMemory(0, pendingLength), cancellationToken);
                }

                await write;
                (pending, pendingLength) = (current, read);
            }

            await writer.CommitAsync(cancellationToken);
            var actual = Digest.FromHash(digest.Algorithm, hash.GetHashAndReset());
            if (actual == digest && pending >= 0)
            {
                await response.Body.WriteAsync(buffers[pending].AsMemory(0, pendingLength), cancellationToken);
            }

            settled = true;
            return (size, actual);
        }
        finally
        {
            // After a failure a read may still be filling a buffer: those go to the collector, not back to the pool.
            if (settled)
            {
                foreach (var buffer in buffers)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    /// <summary>Reads until the buffer is full or the body ends; each read must bring bytes within the idle timeout.</summary>
    private async Task<int> FillAsync(Stream source, byte[] buffer, ProxyTarget target, CancellationToken cancellationToken)
    {
        var idle = upstream.Options.ReadIdleTimeout;
        var filled = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (filled < ChunkSize)
        {
            deadline.CancelAfter(idle);
            int read;
            try
            {
                read = await source.ReadAsync(buffer.AsMemory(filled, ChunkSize - filled), deadline.Token);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new UpstreamException(UpstreamFailure.Unavailable, $"{target.Upstream.Name} sent nothing for {idle.TotalSeconds:0}s", inner: e);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                throw new UpstreamException(UpstreamFailure.Unavailable, $"{target.Upstream.Name} broke off the transfer: {e.Message}", inner: e);
            }

            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private async Task DiscardAsync(string path)
    {
        try
        {
            await driver.DeleteAsync(path.EndsWith("/data", StringComparison.Ordinal) ? StoragePath.Parent(path) : path, CancellationToken.None);
        }
        catch (IOException)
        {
            // Left for the upload purger.
        }
    }

    private static string LockPath(Digest digest) => RegistryPaths.ProxyFetchDirectory(digest) + "/lock";

    [LoggerMessage(Level = LogLevel.Error, Message = "Upstream {Upstream} served bytes for {Digest} that hash to {Actual} ({Size} bytes); nothing was stored and the client's transfer was aborted")]
    private static partial void LogDigestMismatch(ILogger logger, string digest, string upstream, string actual, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching {Digest} from upstream {Upstream} failed: {Reason}")]
    private static partial void LogFetchFailed(ILogger logger, string digest, string upstream, string reason);
}
