namespace RegistryCloud.Storage;

/// <summary>
/// A storage driver in the spirit of Distribution's <c>storagedriver.StorageDriver</c>: it knows
/// paths, bytes, offsets and atomic commits, and nothing of digests, repositories or manifests.
/// Paths are absolute, '/'-separated, made of <c>[A-Za-z0-9._:-]</c> segments (never "." or "..").
/// Expected misses (a path that does not exist) are return values, not exceptions.
/// </summary>
public interface IStorageDriver
{
    string Name { get; }

    /// <summary>The whole content of a small file, or null when it does not exist.</summary>
    Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a small file atomically and durably: readers see the old content or the new, never
    /// part, and once the call returns the new content survives a crash or power loss.
    /// </summary>
    Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>A stream positioned at <paramref name="offset"/>, or null when the file does not exist.</summary>
    Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken);

    /// <summary>A writer that creates the file, or appends to it when <paramref name="append"/> is set.</summary>
    Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken);

    /// <summary>Size and modification time of a file or directory, or null when it does not exist.</summary>
    Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken);

    /// <summary>The full paths of the direct children of a directory; empty when it does not exist.</summary>
    Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a file atomically and durably, replacing any file at the destination. False when the
    /// source is missing.
    /// </summary>
    Task<bool> MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken);

    /// <summary>Deletes a file or a directory tree. False when nothing was there.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a directory only if it holds nothing, atomically with that check: a file written into
    /// it meanwhile keeps it. False when it is not empty or not there. (Where directories exist only
    /// through their files, an empty one does not exist, and this answers true when nothing is below it.)
    /// </summary>
    Task<bool> DeleteIfEmptyAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the exclusive lock named by <paramref name="path"/> (a file, created when its directory
    /// exists) until the returned lock is disposed: no other caller, in this process or another
    /// one sharing the storage, holds it meanwhile. Never waits: <see cref="StorageLockStatus.Busy"/>
    /// when it is held elsewhere, <see cref="StorageLockStatus.Missing"/> when the directory is gone.
    /// </summary>
    Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// The local file behind a path, for zero-copy sends, or null when the driver has none.
    /// </summary>
    string? GetLocalFilePath(string path);

    /// <summary>
    /// A URL a client may GET the file's bytes from directly for <paramref name="expiry"/> (a
    /// presigned S3 URL, an Azure SAS URL), or null when the driver has none: the caller then
    /// streams the bytes itself. Asking for one never checks that the file exists.
    /// </summary>
    Task<Uri?> GetDownloadUrlAsync(string path, TimeSpan expiry, CancellationToken cancellationToken) =>
        Task.FromResult<Uri?>(null);
}

/// <summary>
/// Writes one file. What a commit made durable stays; what was written after the last commit and
/// never committed (a writer disposed without a commit, a process killed) may be kept in part or
/// not at all — a file keeps what reached it, object storage keeps nothing — so the file's size
/// the next caller sees is always where its bytes end and the next append starts.
/// </summary>
public interface IStorageWriter : IAsyncDisposable
{
    /// <summary>Bytes in the file: what was there before an append plus what this writer wrote.</summary>
    long Size { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Makes what was written durable.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}

public sealed record StorageEntry(string Path, long Size, DateTimeOffset ModifiedAt, bool IsDirectory);

