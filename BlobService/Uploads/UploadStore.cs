using System.Globalization;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Extensions;
using RegistryCloud.Core.Oci;
using RegistryCloud.Core.Storage;

namespace RegistryCloud.BlobService.Uploads;

/// <summary>
/// Upload sessions, kept wholly in storage (<c>_uploads/&lt;id&gt;/data</c> and <c>startedat</c>,
/// Distribution's layout): the data file's size is the session's offset, so any replica can
/// continue or finish a session another one began.
/// </summary>
internal sealed class UploadStore(IStorageDriver driver, BlobStore blobs, UploadHashes hashes, TimeProvider time, BlobServiceMetrics metrics)
{
    public async Task<string> StartAsync(string repository, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("D");
        var startedAt = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await driver.PutContentAsync(RegistryPaths.UploadStartedAt(repository, id), Encoding.UTF8.GetBytes(startedAt), cancellationToken);
        var writer = await driver.OpenWriterAsync(RegistryPaths.UploadData(repository, id), append: false, cancellationToken);
        await writer.DisposeAsync();
        metrics.UploadStarted();
        return id;
    }

    /// <summary>Bytes received so far, or null when there is no such session.</summary>
    public async Task<long?> SizeAsync(string repository, string id, CancellationToken cancellationToken)
    {
        if (!IsValidId(id))
        {
            return null;
        }

        var data = await driver.StatAsync(RegistryPaths.UploadData(repository, id), cancellationToken);
        return data is { IsDirectory: false } ? data.Size : null;
    }

    /// <summary>
    /// Appends a chunk. When <paramref name="rangeStart"/> is given it must be the current
    /// offset (OCI spec: out-of-order chunks are refused with 416).
    /// </summary>
    public async Task<UploadResult> AppendAsync(string repository, string id, PipeReader body, long? rangeStart, CancellationToken cancellationToken)
    {
        if (await SizeAsync(repository, id, cancellationToken) is not { } size)
        {
            return new UploadResult(UploadStatus.Unknown, 0);
        }

        if (rangeStart is { } start && start != size)
        {
            return new UploadResult(UploadStatus.RangeInvalid, size);
        }

        // The running hash was taken out of the cache; it goes back only if the whole chunk landed.
        var hash = await ResumeHashAsync(repository, id, Digest.Sha256, size, cancellationToken);
        long newSize;
        try
        {
            newSize = await WriteAsync(repository, id, body, hash, cancellationToken, durable: false);
        }
        catch
        {
            hash.Dispose();
            throw;
        }

        hashes.Keep(id, Digest.Sha256, newSize, hash);
        return new UploadResult(UploadStatus.Ok, newSize);
    }

    /// <summary>Writes the last chunk (if any), verifies the digest and moves the bytes into the content store.</summary>
    public async Task<UploadResult> CompleteAsync(string repository, string id, Digest digest, PipeReader? body, long? rangeStart, CancellationToken cancellationToken)
    {
        if (await SizeAsync(repository, id, cancellationToken) is not { } size)
        {
            return new UploadResult(UploadStatus.Unknown, 0);
        }

        if (rangeStart is { } start && start != size)
        {
            return new UploadResult(UploadStatus.RangeInvalid, size);
        }

        using var hash = await ResumeHashAsync(repository, id, digest.Algorithm, size, cancellationToken);
        size = await WriteAsync(repository, id, body, hash, cancellationToken, durable: true);

        var actual = Digest.FromHash(digest.Algorithm, hash.GetHashAndReset());
        metrics.UploadCompleted(digestMatched: actual == digest);
        if (actual != digest)
        {
            // A failed commit ends the session, as in Distribution: nothing of it is stored.
            await RemoveAsync(repository, id, cancellationToken);
            return new UploadResult(UploadStatus.DigestInvalid, size);
        }

        await blobs.CommitAsync(RegistryPaths.UploadData(repository, id), digest, cancellationToken);
        await blobs.LinkAsync(repository, new BlobDescriptor(digest, size, MediaTypes.OctetStream), cancellationToken);
        await driver.DeleteAsync(RegistryPaths.UploadDirectory(repository, id), cancellationToken);
        return new UploadResult(UploadStatus.Ok, size);
    }

    public async Task<bool> CancelAsync(string repository, string id, CancellationToken cancellationToken)
    {
        if (!IsValidId(id))
        {
            return false;
        }

        var cancelled = await RemoveAsync(repository, id, cancellationToken);
        if (cancelled)
        {
            metrics.UploadCancelled();
        }

        return cancelled;
    }

    private async Task<bool> RemoveAsync(string repository, string id, CancellationToken cancellationToken)
    {
        hashes.Forget(id);
        return await driver.DeleteAsync(RegistryPaths.UploadDirectory(repository, id), cancellationToken);
    }

    /// <summary>Upload ids are the UUIDs this service hands out; anything else is unknown, before any storage access.</summary>
    public static bool IsValidId(string id) =>
        id.Length == 36 && Guid.TryParseExact(id, "D", out var parsed) && parsed.ToString("D") == id;

    /// <summary>
    /// Appends a body to the session's data. <paramref name="durable"/> makes every byte of the
    /// session reach the disk, which must precede the commit's rename.
    /// </summary>
    private async Task<long> WriteAsync(string repository, string id, PipeReader? body, IncrementalHash hash, CancellationToken cancellationToken, bool durable)
    {
        var writer = await driver.OpenWriterAsync(RegistryPaths.UploadData(repository, id), append: true, cancellationToken);
        await using (writer)
        {
            if (body is not null)
            {
                var before = writer.Size;
                try
                {
                    await BodyCopier.CopyAsync(body, writer, hash, cancellationToken);
                }
                finally
                {
                    // Bytes that arrived count even when the request broke off midway.
                    metrics.BytesReceived(writer.Size - before);
                }
            }

            if (durable)
            {
                await writer.CommitAsync(cancellationToken);
            }

            return writer.Size;
        }
    }

    private async Task<IncrementalHash> ResumeHashAsync(string repository, string id, string algorithm, long size, CancellationToken cancellationToken)
    {
        if (hashes.Take(id, algorithm, size) is { } running)
        {
            return running;
        }

        var hash = Digest.CreateHash(algorithm);
        if (size > 0)
        {
            var stream = await driver.OpenReadAsync(RegistryPaths.UploadData(repository, id), 0, cancellationToken)
                ?? throw new InvalidOperationException($"Upload {id} has no data file.");
            await using (stream)
            {
                await BodyCopier.HashPrefixAsync(stream, size, hash, cancellationToken);
            }
        }

        return hash;
    }
}

internal enum UploadStatus
{
    Ok,
    Unknown,
    RangeInvalid,
    DigestInvalid,
}

internal readonly record struct UploadResult(UploadStatus Status, long Size);
