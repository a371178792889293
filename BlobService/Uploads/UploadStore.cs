using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.ExceptionServices;
using System.Text;
using RegistryCloud.BlobService.Blobs;
using RegistryCloud.BlobService.Extensions;
using RegistryCloud.Lifecycle.Quotas;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Uploads;

/// <summary>
/// Upload sessions, kept wholly in storage (<c>_uploads/&lt;id&gt;/data</c>, <c>startedat</c> and
/// <c>hashstates</c>, Distribution's layout): the data file's size is the session's offset, so any
/// replica can continue or finish a session another one began.
/// <para>
/// One request at a time: every request that writes to, commits or cancels a session first takes
/// the session's lock (<see cref="RegistryPaths.UploadLock"/>, held against every replica sharing
/// the storage) and checks under it that the session still exists. A request that finds the lock
/// taken changes nothing and answers <see cref="UploadStatus.Busy"/>; a commit moves the data file
/// while it holds the lock, so no writer has the file open when it becomes the blob.
/// </para>
/// </summary>
internal sealed class UploadStore(IStorageDriver driver, BlobStore blobs, UploadHashStates hashStates, RepositoryQuotas quotas, TimeProvider time, BlobServiceMetrics metrics)
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
        using var session = await LockAsync(repository, id, cancellationToken);
        var check = await CheckAsync(session, repository, id, rangeStart, cancellationToken);
        if (check.Status != UploadStatus.Ok)
        {
            return check;
        }

        var (hash, savedAt) = await hashStates.ResumeAsync(repository, id, Digest.Sha256, check.Size, cancellationToken);
        using (hash)
        {
            var written = await WriteAsync(repository, id, body, hash, savedAt, saveState: true, cancellationToken);
            return new UploadResult(UploadStatus.Ok, written);
        }
    }

    /// <summary>Writes the last chunk (if any), verifies the digest and moves the bytes into the content store.</summary>
    public async Task<UploadResult> CompleteAsync(string repository, string id, Digest digest, PipeReader? body, long? rangeStart, CancellationToken cancellationToken)
    {
        using var session = await LockAsync(repository, id, cancellationToken);
        var check = await CheckAsync(session, repository, id, rangeStart, cancellationToken);
        if (check.Status != UploadStatus.Ok)
        {
            return check;
        }

        long size;
        var (hash, savedAt) = await hashStates.ResumeAsync(repository, id, digest.Algorithm, check.Size, cancellationToken);
        using (hash)
        {
            // Even without a body: the commit's rename must never precede the bytes on the disk. No
            // state is saved: the session ends here, committed or refused.
            size = await WriteAsync(repository, id, body, hash, savedAt, saveState: false, cancellationToken);
            var actual = hash.Finish();
            metrics.UploadCompleted(digestMatched: actual == digest);
            if (actual != digest)
            {
                // A failed commit ends the session, as in Distribution: nothing of it is stored.
                await driver.DeleteAsync(RegistryPaths.UploadDirectory(repository, id), cancellationToken);
                return new UploadResult(UploadStatus.DigestInvalid, size);
            }
        }

        // The size is known for certain only now: a push past the repository's quota ends here,
        // like a failed commit, before its bytes enter the content store.
        var quota = await quotas.CheckAsync(repository, size, digest, cancellationToken);
        if (quota.Denied is { } denied)
        {
            await driver.DeleteAsync(RegistryPaths.UploadDirectory(repository, id), cancellationToken);
            return new UploadResult(UploadStatus.Denied, size, denied);
        }

        var descriptor = new BlobDescriptor(digest, size, MediaTypes.OctetStream);
        await blobs.CommitAsync(RegistryPaths.UploadData(repository, id), descriptor, cancellationToken);
        await blobs.LinkAsync(repository, descriptor, cancellationToken);
        quotas.Added(repository, quota);
        await RemoveCommittedAsync(repository, id, cancellationToken);
        return new UploadResult(UploadStatus.Ok, size);
    }

    public async Task<UploadResult> CancelAsync(string repository, string id, CancellationToken cancellationToken)
    {
        using var session = await LockAsync(repository, id, cancellationToken);
        var check = await CheckAsync(session, repository, id, rangeStart: null, cancellationToken);
        if (check.Status != UploadStatus.Ok)
        {
            return check;
        }

        await driver.DeleteAsync(RegistryPaths.UploadDirectory(repository, id), cancellationToken);
        metrics.UploadCancelled();
        return check;
    }

    /// <summary>Upload ids are the UUIDs this service hands out; anything else is unknown, before any storage access.</summary>
    public static bool IsValidId(string id) =>
        id.Length == 36 && Guid.TryParseExact(id, "D", out var parsed) && parsed.ToString("D") == id;

    private Task<StorageLock> LockAsync(string repository, string id, CancellationToken cancellationToken) =>
        IsValidId(id)
            ? driver.TryLockAsync(RegistryPaths.UploadLock(repository, id), cancellationToken)
            : Task.FromResult(StorageLock.Missing);

    /// <summary>
    /// Whether the request may go on with the session: held, still there (a commit or cancel that
    /// ran first removed its data), and at the offset the request names.
    /// </summary>
    private async Task<UploadResult> CheckAsync(StorageLock session, string repository, string id, long? rangeStart, CancellationToken cancellationToken)
    {
        if (session.Status == StorageLockStatus.Missing || await SizeAsync(repository, id, cancellationToken) is not { } size)
        {
            return new UploadResult(UploadStatus.Unknown, 0);
        }

        if (!session.IsHeld)
        {
            return new UploadResult(UploadStatus.Busy, size);
        }

        return rangeStart is { } start && start != size
            ? new UploadResult(UploadStatus.RangeInvalid, size)
            : new UploadResult(UploadStatus.Ok, size);
    }

    /// <summary>
    /// Appends a body to the session's data while hashing it, makes the data durable and (with
    /// <paramref name="saveState"/>) saves the running hash over it. A body that breaks off midway
    /// keeps what arrived, hashed and saved whatever <paramref name="saveState"/> says (the session
    /// goes on), so a retry resumes from there; the failure is rethrown after.
    /// </summary>
    private async Task<long> WriteAsync(
        string repository, string id, PipeReader? body, ResumableHash hash, long savedAt, bool saveState, CancellationToken cancellationToken)
    {
        ExceptionDispatchInfo? broken = null;
        long size;
        var writer = await driver.OpenWriterAsync(RegistryPaths.UploadData(repository, id), append: true, cancellationToken);
        await using (writer)
        {
            var before = writer.Size;
            if (body is not null)
            {
                try
                {
                    await BodyCopier.CopyAsync(body, writer, hash, cancellationToken);
                }
                catch (Exception e)
                {
                    broken = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    // Bytes that arrived count even when the request broke off midway.
                    metrics.BytesReceived(writer.Size - before);
                }
            }

            try
            {
                await writer.CommitAsync(broken is null ? cancellationToken : CancellationToken.None);
            }
            catch when (broken is not null)
            {
                broken.Throw();
            }

            size = writer.Size;
        }

        // The hash covers exactly the bytes now durable in the file, unless a write failed after
        // its bytes were hashed; then no state is saved and the next request hashes the gap.
        if ((saveState || broken is not null) && size == hash.Length)
        {
            await hashStates.SaveAsync(repository, id, hash, savedAt, broken is null ? cancellationToken : CancellationToken.None);
        }

        broken?.Throw();
        return size;
    }

    /// <summary>
    /// Removes a committed session's directory. Its data is already the blob, so the session is
    /// over whatever happens here; a directory that cannot be removed now (a request on another
    /// replica just created its lock file in it) holds no data and is purged later.
    /// </summary>
    private async Task RemoveCommittedAsync(string repository, string id, CancellationToken cancellationToken)
    {
        try
        {
            await driver.DeleteAsync(RegistryPaths.UploadDirectory(repository, id), cancellationToken);
        }
        catch (IOException)
        {
        }
    }
}

internal enum UploadStatus
{
    Ok,
    Unknown,
    RangeInvalid,
    DigestInvalid,

    /// <summary>Another request holds the session; this one changed nothing.</summary>
    Busy,

    /// <summary>The commit would take the repository past its quota (<c>policies.quotas</c>); the session is gone.</summary>
    Denied,
}

internal readonly record struct UploadResult(UploadStatus Status, long Size, string? Message = null);
