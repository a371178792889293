using RegistryCloud.Storage;

namespace RegistryCloud.ManifestService.Tests.Listings;

/// <summary>
/// An in-memory driver that runs <see cref="OnListed"/> once, right after the next listing of
/// <see cref="ArmedPath"/> has been read: a write that lands just after a rebuild's walk passed.
/// </summary>
internal sealed class HookedDriver : IStorageDriver
{
    private readonly InMemoryStorageDriver _inner;

    public HookedDriver(TimeProvider? time = null) => _inner = new InMemoryStorageDriver(time);

    public string? ArmedPath { get; set; }

    public Func<Task>? OnListed { get; set; }

    public string Name => _inner.Name;

    public async Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken)
    {
        var children = await _inner.ListAsync(path, cancellationToken);
        if (path == ArmedPath && OnListed is { } hook)
        {
            OnListed = null;
            await hook();
        }

        return children;
    }

    public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken) => _inner.GetContentAsync(path, cancellationToken);

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => _inner.PutContentAsync(path, content, cancellationToken);

    public Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken) => _inner.OpenReadAsync(path, offset, cancellationToken);

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken) => _inner.OpenWriterAsync(path, append, cancellationToken);

    public Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken) => _inner.StatAsync(path, cancellationToken);

    public Task<bool> MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken) => _inner.MoveAsync(sourcePath, destinationPath, cancellationToken);

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) => _inner.DeleteAsync(path, cancellationToken);

    public Task<bool> DeleteIfEmptyAsync(string path, CancellationToken cancellationToken) => _inner.DeleteIfEmptyAsync(path, cancellationToken);

    public Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken) => _inner.TryLockAsync(path, cancellationToken);

    public string? GetLocalFilePath(string path) => null;
}
