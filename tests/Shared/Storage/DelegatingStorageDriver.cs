using RegistryCloud.Storage;

namespace RegistryCloud.Tests.Shared.Storage;

/// <summary>
/// A storage driver that passes every call to another: a test overrides the one it needs to change
/// (a driver that signs download URLs, one that fails a call) and keeps the real behaviour of the rest.
/// </summary>
public class DelegatingStorageDriver(IStorageDriver inner) : IStorageDriver
{
    protected IStorageDriver Inner => inner;

    public virtual string Name => inner.Name;

    public virtual Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken) => inner.GetContentAsync(path, cancellationToken);

    public virtual Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => inner.PutContentAsync(path, content, cancellationToken);

    public virtual Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(path, offset, cancellationToken);

    public virtual Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken) => inner.OpenWriterAsync(path, append, cancellationToken);

    public virtual Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public virtual Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken) => inner.ListAsync(path, cancellationToken);

    public virtual Task<bool> MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken) => inner.MoveAsync(sourcePath, destinationPath, cancellationToken);

    public virtual Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public virtual Task<bool> DeleteIfEmptyAsync(string path, CancellationToken cancellationToken) => inner.DeleteIfEmptyAsync(path, cancellationToken);

    public virtual Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken) => inner.TryLockAsync(path, cancellationToken);

    public virtual string? GetLocalFilePath(string path) => inner.GetLocalFilePath(path);

    public virtual Task<Uri?> GetDownloadUrlAsync(string path, TimeSpan expiry, CancellationToken cancellationToken) =>
        inner.GetDownloadUrlAsync(path, expiry, cancellationToken);
}
