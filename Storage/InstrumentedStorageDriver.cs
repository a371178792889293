using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCloud.Storage;

/// <summary>
/// Times every storage action (Distribution's <c>storage action latencies</c>) on the Meter of the
/// service that owns the driver: <c>registry.storage.action.duration</c>, tagged with the driver,
/// the action and whether it failed. Opening a stream is timed; reading or writing it is the
/// data path's, counted in bytes by the service.
/// </summary>
public sealed class InstrumentedStorageDriver : IStorageDriver
{
    private readonly IStorageDriver _inner;
    private readonly Histogram<double> _duration;
    private readonly KeyValuePair<string, object?> _driverTag;

    public InstrumentedStorageDriver(IStorageDriver inner, IMeterFactory meterFactory, string meterName)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _inner = inner;
        _duration = meterFactory.Create(meterName).CreateHistogram<double>(
            "registry.storage.action.duration", "s", "Time a storage driver action took.");
        _driverTag = new("registry.storage.driver", inner.Name);
    }

    /// <summary>The driver whose actions are timed.</summary>
    public IStorageDriver Inner => _inner;

    public string Name => _inner.Name;

    public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken) =>
        TimeAsync("get_content", () => _inner.GetContentAsync(path, cancellationToken));

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        TimeAsync("put_content", () => _inner.PutContentAsync(path, content, cancellationToken));

    public Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken) =>
        TimeAsync("open_read", () => _inner.OpenReadAsync(path, offset, cancellationToken));

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken) =>
        TimeAsync("open_writer", () => _inner.OpenWriterAsync(path, append, cancellationToken));

    public Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken) =>
        TimeAsync("stat", () => _inner.StatAsync(path, cancellationToken));

    public Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken) =>
        TimeAsync("list", () => _inner.ListAsync(path, cancellationToken));

    public Task<bool> MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken) =>
        TimeAsync("move", () => _inner.MoveAsync(sourcePath, destinationPath, cancellationToken));

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) =>
        TimeAsync("delete", () => _inner.DeleteAsync(path, cancellationToken));

    public Task<bool> DeleteIfEmptyAsync(string path, CancellationToken cancellationToken) =>
        TimeAsync("delete_if_empty", () => _inner.DeleteIfEmptyAsync(path, cancellationToken));

    public Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken) =>
        TimeAsync("lock", () => _inner.TryLockAsync(path, cancellationToken));

    public string? GetLocalFilePath(string path) => _inner.GetLocalFilePath(path);

    public Task<Uri?> GetDownloadUrlAsync(string path, TimeSpan expiry, CancellationToken cancellationToken) =>
        _inner.GetDownloadUrlAsync(path, expiry, cancellationToken);

    // The action starts inside the timing: the filesystem driver does most of its work before
    // it returns a task, and a synchronous throw is timed and rethrown like a faulted task.
    private async Task TimeAsync(string action, Func<Task> operation)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await operation().ConfigureAwait(false);
            failed = false;
        }
        finally
        {
            Record(action, started, failed);
        }
    }

    private async Task<T> TimeAsync<T>(string action, Func<Task<T>> operation)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            var result = await operation().ConfigureAwait(false);
            failed = false;
            return result;
        }
        finally
        {
            Record(action, started, failed);
        }
    }

    private void Record(string action, long started, bool failed) =>
        _duration.Record(
            Stopwatch.GetElapsedTime(started).TotalSeconds,
            _driverTag,
            new("registry.storage.action", action),
            new("registry.storage.outcome", failed ? "error" : "ok"));
}
