namespace RegistryCloud.Storage.FileSystem;

/// <summary>
/// Stores everything below one local directory, the way Distribution's filesystem driver lays
/// it out, so either can serve a root the other wrote.
/// </summary>
public sealed class FileSystemStorageDriver : IStorageDriver
{
    private const int WriteBufferSize = 256 * 1024;
    private readonly string _root;

    /// <param name="rootDirectory">The storage root, created when missing.</param>
    /// <param name="directIo">Whether writers use <c>O_DIRECT</c> where the file system allows (<see cref="DirectFileWriter"/>).</param>
    public FileSystemStorageDriver(string rootDirectory, bool directIo = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        _root = Path.GetFullPath(rootDirectory);
        DirectIo = directIo;
        Directory.CreateDirectory(_root);
    }

    public bool DirectIo { get; }

    public string Name => "filesystem";

    public string RootDirectory => _root;

    public async Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken)
    {
        var target = Resolve(path);
        if (!File.Exists(target))
        {
            // The usual miss (a new tag's current link) answered by one stat, not a thrown exception.
            return null;
        }

        try
        {
            return await File.ReadAllBytesAsync(target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var target = Resolve(path);
        var directory = Path.GetDirectoryName(target)!;
        var created = CreateDirectories(directory);
        if (content.IsEmpty)
        {
            // A marker: an empty file appears whole or not at all and has no bytes to make durable,
            // so it needs neither a temporary file nor an fsync of its own; its directory entry is all it is.
            AgainIfDirectoryVanished(directory, ref created, () => File.OpenHandle(target, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose());
            SyncDirectories(directory, created);
            return;
        }

        var temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            FileStream? opened = null;
            AgainIfDirectoryVanished(directory, ref created, () => opened = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0));
            var stream = opened!;
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        SyncDirectories(directory, created);
    }

    public Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(Resolve(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            stream.Seek(offset, SeekOrigin.Begin);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken)
    {
        var target = Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (DirectIo && DirectFileWriter.TryOpen(target, append) is { } direct)
        {
            return Task.FromResult<IStorageWriter>(direct);
        }

        var stream = new FileStream(target, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, WriteBufferSize);
        return Task.FromResult<IStorageWriter>(new Writer(stream));
    }

    public Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken)
    {
        var target = Resolve(path);
        var file = new FileInfo(target);
        if (file.Exists)
        {
            return Task.FromResult<StorageEntry?>(new StorageEntry(path, file.Length, file.LastWriteTimeUtc, IsDirectory: false));
        }

        var directory = new DirectoryInfo(target);
        return Task.FromResult(directory.Exists
            ? new StorageEntry(path, 0, directory.LastWriteTimeUtc, IsDirectory: true)
            : null);
    }

    public Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken)
    {
        var target = path == "/" ? _root : Resolve(path);
        if (!Directory.Exists(target))
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        var prefix = path == "/" ? "/" : path + "/";
        var children = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(target))
        {
            children.Add(prefix + Path.GetFileName(entry));
        }

        return Task.FromResult<IReadOnlyList<string>>(children);
    }

    public Task<bool> MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        var source = Resolve(sourcePath);
        var destination = Resolve(destinationPath);
        if (!File.Exists(source))
        {
            return Task.FromResult(false);
        }

        var directory = Path.GetDirectoryName(destination)!;
        var created = CreateDirectories(directory);
        AgainIfDirectoryVanished(directory, ref created, () => File.Move(source, destination, overwrite: true));
        SyncDirectories(directory, created);
        return Task.FromResult(true);
    }

    /// <summary>
    /// Runs a write into <paramref name="directory"/>, creating the directory again should it have
    /// been removed between its creation and the write (the garbage collector removes empty link
    /// and blob directories, only while they are empty).
    /// </summary>
    private static void AgainIfDirectoryVanished(string directory, ref List<string>? created, Action write)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                write();
                return;
            }
            catch (DirectoryNotFoundException) when (attempt < 3)
            {
                created = CreateDirectories(directory) ?? created;
            }
        }
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var target = Resolve(path);
        if (File.Exists(target))
        {
            File.Delete(target);
            return Task.FromResult(true);
        }

        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
            return Task.FromResult(true);
        }

        return Task.FromResult(false);
    }

    public Task<bool> DeleteIfEmptyAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            // rmdir: the kernel refuses a directory with anything in it, so the check and the delete are one.
            Directory.Delete(Resolve(path), recursive: false);
            return Task.FromResult(true);
        }
        catch (IOException)
        {
            return Task.FromResult(false);
        }
    }

    public Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult(FileLocks.TryLock(Resolve(path)));

    public string? GetLocalFilePath(string path) => Resolve(path);

    /// <summary>Creates a directory and its missing ancestors; returns those it created, outermost first.</summary>
    private static List<string>? CreateDirectories(string directory)
    {
        if (Directory.Exists(directory))
        {
            return null;
        }

        var missing = new List<string>();
        for (var current = directory; current is not null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Add(current);
        }

        Directory.CreateDirectory(directory);
        missing.Reverse();
        return missing;
    }

    /// <summary>
    /// Makes a rename or new entry in <paramref name="directory"/>, and the directories created for
    /// it, survive power loss: each directory that gained an entry is synced. On a journaling file
    /// system the first sync commits them all; the others find nothing left to write.
    /// </summary>
    private static void SyncDirectories(string directory, List<string>? created)
    {
        PosixFiles.SyncDirectory(directory);
        if (created is not null)
        {
            foreach (var child in created)
            {
                PosixFiles.SyncDirectory(Path.GetDirectoryName(child)!);
            }
        }
    }

    private string Resolve(string path)
    {
        StoragePath.Validate(path);
        return _root + path;
    }

    private sealed class Writer(FileStream stream) : IStorageWriter
    {
        public long Size => stream.Position;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            stream.WriteAsync(data, cancellationToken);

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            // Durable before any rename makes the bytes visible under a digest.
            stream.Flush(flushToDisk: true);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
