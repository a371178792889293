namespace RegistryCloud.Storage;

/// <summary>A driver that keeps every file in process memory: for tests and throwaway runs.</summary>
public sealed class InMemoryStorageDriver : IStorageDriver
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, (byte[] Content, DateTimeOffset ModifiedAt)> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _locks = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public InMemoryStorageDriver(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public string Name => "inmemory";

    public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        lock (_gate)
        {
            return Task.FromResult(_files.TryGetValue(path, out var file) ? file.Content.ToArray() : null);
        }
    }

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        Store(path, content.ToArray());
        return Task.CompletedTask;
    }

    public Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        lock (_gate)
        {
            if (!_files.TryGetValue(path, out var file))
            {
                return Task.FromResult<Stream?>(null);
            }

            var stream = new MemoryStream(file.Content, writable: false);
            stream.Position = Math.Min(offset, file.Content.Length);
            return Task.FromResult<Stream?>(stream);
        }
    }

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        var buffer = new MemoryStream();
        lock (_gate)
        {
            if (append && _files.TryGetValue(path, out var existing))
            {
                buffer.Write(existing.Content);
            }
        }

        Store(path, buffer.ToArray());
        return Task.FromResult<IStorageWriter>(new Writer(this, path, buffer));
    }

    public Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        lock (_gate)
        {
            if (_files.TryGetValue(path, out var file))
            {
                return Task.FromResult<StorageEntry?>(new StorageEntry(path, file.Content.Length, file.ModifiedAt, IsDirectory: false));
            }

            var prefix = path + "/";
            foreach (var (key, value) in _files)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return Task.FromResult<StorageEntry?>(new StorageEntry(path, 0, value.ModifiedAt, IsDirectory: true));
                }
            }

            return Task.FromResult<StorageEntry?>(null);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken)
    {
        if (path != "/")
        {
            StoragePath.Validate(path);
        }

        var prefix = path == "/" ? "/" : path + "/";
        var children = new SortedSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var key in _files.Keys)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var next = key.IndexOf('/', prefix.Length);
                    children.Add(next < 0 ? key : key[..next]);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<string>>([.. children]);
    }

    public Task<bool> MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        StoragePath.Validate(sourcePath);
        StoragePath.Validate(destinationPath);
        lock (_gate)
        {
            if (!_files.Remove(sourcePath, out var file))
            {
                return Task.FromResult(false);
            }

            _files[destinationPath] = file;
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        var prefix = path + "/";
        lock (_gate)
        {
            var removed = _files.Remove(path);
            foreach (var key in _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                removed |= _files.Remove(key);
            }

            return Task.FromResult(removed);
        }
    }

    public Task<bool> DeleteIfEmptyAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        lock (_gate)
        {
            return Task.FromResult(!_files.ContainsKey(path) && !DirectoryExists(path));
        }
    }

    public Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        lock (_gate)
        {
            if (!DirectoryExists(StoragePath.Parent(path)))
            {
                return Task.FromResult(StorageLock.Missing);
            }

            if (!_locks.Add(path))
            {
                return Task.FromResult(StorageLock.Busy);
            }

            if (!_files.ContainsKey(path))
            {
                _files[path] = ([], _time.GetUtcNow());
            }
        }

        return Task.FromResult(StorageLock.Held(() =>
        {
            lock (_gate)
            {
                _locks.Remove(path);
            }
        }));
    }

    public string? GetLocalFilePath(string path) => null;

    /// <summary>A directory exists while some file lies below it. Callers hold <see cref="_gate"/>.</summary>
    private bool DirectoryExists(string path)
    {
        var prefix = path + "/";
        foreach (var key in _files.Keys)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void Store(string path, byte[] content)
    {
        lock (_gate)
        {
            _files[path] = (content, _time.GetUtcNow());
        }
    }

    private sealed class Writer(InMemoryStorageDriver driver, string path, MemoryStream buffer) : IStorageWriter
    {
        public long Size => buffer.Length;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            buffer.Write(data.Span);
            return ValueTask.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            driver.Store(path, buffer.ToArray());
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            // Like a file, what was written stays even when the writer was not committed.
            driver.Store(path, buffer.ToArray());
            return ValueTask.CompletedTask;
        }
    }
}
