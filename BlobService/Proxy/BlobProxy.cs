using System.Globalization;
using System.Text;
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
/// for the one fetch and then serve the stored blob; the fetch records its progress beside the
/// lock, and a waiting pull gives up with 503 when it sees none for the upstream read timeout,
/// as the fetch itself would.
/// </summary>
internal sealed partial class BlobProxy(
    IStorageDriver driver, BlobStore blobs, UpstreamClient upstream, ProxyMetrics metrics, TimeProvider time, ILogger<BlobProxy> logger)
{
    /// <summary>The <c>kind</c> the cache metrics give blob pulls.</summary>
    public const string Kind = "blob";
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

            var wait = new FetchWait(driver, time, upstream.Options.ReadIdleTimeout, target, digest);
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
                        await wait.CheckAsync(cancellationToken);
                        await Task.Delay(WaitInterval, time, cancellationToken);
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

        try
        {
            var size = await CopyAsync(body, uploadPath, response, target, digest, cancellationToken);
            var descriptor = new BlobDescriptor(digest, size, MediaTypes.OctetStream);
            await blobs.CommitAsync(uploadPath, descriptor, CancellationToken.None);
            await blobs.LinkAsync(repository, descriptor, CancellationToken.None);
            metrics.Fetched(target.Upstream, size);
        }
        catch (DigestMismatchException e)
        {
            // Invariant 1: nothing stored, and the client's transfer fails rather than ending
            // cleanly with bytes that are not the blob.
            metrics.Fetched(target.Upstream, e.Size);
            metrics.Failed(target.Upstream, UpstreamFailure.Invalid);
            LogDigestMismatch(logger, digest.ToString(), target.Upstream.Name, e.Actual, e.Size);
            context.Abort();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFetchFailed(logger, digest.ToString(), target.Upstream.Name, e.Message);
            metrics.Failed(target.Upstream, e is UpstreamException u ? u.Failure : UpstreamFailure.Unavailable);
            context.Abort();
        }
        finally
        {
            await DiscardAsync(uploadPath);

            // Pulls waiting on the lock find the blob stored, or take the fetch over.
            await DiscardAsync(RegistryPaths.ProxyFetchDirectory(digest));
        }

        return Results.Empty;
    }

    /// <summary>
    /// One read of the upstream feeds the client, the hash and the file, with one copy in user
    /// space: each chunk is read straight into the response's own buffer (Kestrel's pipe), hashed,
    /// copied to the file writer and then released to the client. The chunk that completes the
    /// blob is released only once the digest matches, so a mismatch never reaches the client as
    /// a whole, clean transfer; the file is made durable after that (the client need not wait on
    /// the fsync), and the caller commits only after it. An upstream that sends no length gets a
    /// chunked answer, which a mismatch aborts before its end. Returns the blob's size.
    /// </summary>
    private async Task<long> CopyAsync(
        UpstreamBlob body, string uploadPath, HttpResponse response, ProxyTarget target, Digest digest, CancellationToken cancellationToken)
    {
        using var hash = Digest.CreateHash(digest.Algorithm);
        var output = response.BodyWriter;
        await response.StartAsync(cancellationToken);
        await using var writer = await driver.OpenWriterAsync(uploadPath, append: false, cancellationToken);
        long size = 0;
        var reported = time.GetTimestamp();
        while (true)
        {
            if (time.GetElapsedTime(reported) >= ProgressInterval)
            {
                await driver.PutContentAsync(FetchWait.ProgressPath(digest), Encoding.ASCII.GetBytes(size.ToString(CultureInfo.InvariantCulture)), cancellationToken);
                reported = time.GetTimestamp();
            }

            var chunk = output.GetMemory(ChunkSize)[..ChunkSize];
            var read = await FillAsync(body.Content, chunk, target, cancellationToken);
            size += read;
            var last = read < ChunkSize || size == body.Length;
            if (read > 0)
            {
                hash.AppendData(chunk.Span[..read]);
                await writer.WriteAsync(chunk[..read], cancellationToken);
            }

            if (last)
            {
                var actual = Digest.FromHash(digest.Algorithm, hash.GetHashAndReset());
                if (actual != digest || (body.Length is { } length && length != size))
                {
                    throw new DigestMismatchException(actual.ToString(), size);
                }
            }

            if (read > 0)
            {
                output.Advance(read);

                // Once the blob is verified, the client may hang up as soon as it has the last
                // byte: the cache is stored all the same.
                await output.FlushAsync(last ? CancellationToken.None : cancellationToken);
            }

            if (last)
            {
                await writer.CommitAsync(CancellationToken.None);
                return size;
            }
        }
    }

    private sealed class DigestMismatchException(string actual, long size) : Exception($"the bytes hash to {actual}")
    {
        public string Actual => actual;

        public long Size => size;
    }

    /// <summary>Reads until the buffer is full or the body ends; each read must bring bytes within the idle timeout.</summary>
    private async Task<int> FillAsync(Stream source, Memory<byte> buffer, ProxyTarget target, CancellationToken cancellationToken)
    {
        var idle = upstream.Options.ReadIdleTimeout;
        var filled = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (filled < buffer.Length)
        {
            deadline.CancelAfter(idle);
            int read;
            try
            {
                read = await source.ReadAsync(buffer[filled..], deadline.Token);
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

    // Often enough that a waiting pull sees progress several times within the idle timeout.
    private TimeSpan ProgressInterval => TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, upstream.Options.ReadIdleTimeout.Ticks / 4));

    [LoggerMessage(Level = LogLevel.Error, Message = "Upstream {Upstream} served bytes for {Digest} that hash to {Actual} ({Size} bytes); nothing was stored and the client's transfer was aborted")]
    private static partial void LogDigestMismatch(ILogger logger, string digest, string upstream, string actual, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching {Digest} from upstream {Upstream} failed: {Reason}")]
    private static partial void LogFetchFailed(ILogger logger, string digest, string upstream, string reason);
}
