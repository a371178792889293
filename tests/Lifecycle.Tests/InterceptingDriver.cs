using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Tests;

/// <summary>
/// A driver passing everything to another, that lets a test act just before a file is moved (a
/// writer racing the collector or the scrub: the move is how both set a file aside) and counts
/// the calls made to it.
/// </summary>
internal sealed class InterceptingDriver(IStorageDriver inner) : IStorageDriver
{
    private int _calls;

    /// <summary>Runs before each move, with its source and destination, while set.</summary>
    public Func<string, string, Task>? BeforeMove { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public string Name => inner.Name;

    public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken) => Count(inner.GetContentAsync(path, cancellationToken));

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => Count(inner.PutContentAsync(path, content, cancellationToken));

    public Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken) => Count(inner.OpenReadAsync(path, offset, cancellationToken));

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken) => Count(inner.OpenWriterAsync(path, append, cancellationToken));

    public Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken) => Count(inner.StatAsync(path, cancellationToken));

    public Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken) => Count(inner.ListAsync(path, cancellationToken));

    public async Task<bool> MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (BeforeMove is { } before)
        {
            await before(sourcePath, destinationPath);
        }

        return await inner.MoveAsync(sourcePath, destinationPath, cancellationToken);
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) => Count(inner.DeleteAsync(path, cancellationToken));

    public Task<bool> DeleteIfEmptyAsync(string path, CancellationToken cancellationToken) => Count(inner.DeleteIfEmptyAsync(path, cancellationToken));

    public Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken) => Count(inner.TryLockAsync(path, cancellationToken));

    public string? GetLocalFilePath(string path) => inner.GetLocalFilePath(path);

    private T Count<T>(T result)
    {
        Interlocked.Increment(ref _calls);
        return result;
    }
}
