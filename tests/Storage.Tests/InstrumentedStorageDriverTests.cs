using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Tests.Shared.Metrics;

namespace RegistryCloud.Storage.Tests;

public sealed class InstrumentedStorageDriverTests : IDisposable
{
    private const string Duration = "registry.storage.action.duration";
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Every_action_is_timed_with_its_driver_action_and_outcome()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        using var recorder = new MeasurementRecorder(meters, Duration);
        var driver = new InstrumentedStorageDriver(new InMemoryStorageDriver(), meters, "RegistryCloud.Test");
        var ct = TestContext.Current.CancellationToken;

        await driver.PutContentAsync("/a/file", "bytes"u8.ToArray(), ct);
        Assert.NotNull(await driver.GetContentAsync("/a/file", ct));
        Assert.NotNull(await driver.StatAsync("/a/file", ct));
        Assert.Single(await driver.ListAsync("/a", ct));
        Assert.True(await driver.MoveAsync("/a/file", "/b/file", ct));
        Assert.True(await driver.DeleteAsync("/b/file", ct));

        foreach (var action in new[] { "put_content", "get_content", "stat", "list", "move", "delete" })
        {
            var measured = Assert.Single(recorder.Of(Duration), m => m.Tags["registry.storage.action"] == action);
            Assert.Equal("inmemory", measured.Tags["registry.storage.driver"]);
            Assert.Equal("ok", measured.Tags["registry.storage.outcome"]);
        }
    }

    [Fact]
    public async Task Work_the_driver_does_before_returning_its_task_is_in_the_time()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        using var recorder = new MeasurementRecorder(meters, Duration);
        var driver = new InstrumentedStorageDriver(new SlowStatDriver(), meters, "RegistryCloud.Test");

        await driver.StatAsync("/x", TestContext.Current.CancellationToken);

        Assert.True(Assert.Single(recorder.Of(Duration)).Value >= 0.04);
    }

    [Fact]
    public async Task A_failing_action_is_timed_as_an_error_and_still_throws()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        using var recorder = new MeasurementRecorder(meters, Duration);
        var driver = new InstrumentedStorageDriver(new InMemoryStorageDriver(), meters, "RegistryCloud.Test");

        await Assert.ThrowsAnyAsync<Exception>(() => driver.StatAsync("/bad/../path", TestContext.Current.CancellationToken));

        Assert.Equal("error", Assert.Single(recorder.Of(Duration)).Tags["registry.storage.outcome"]);
    }

    /// <summary>A driver whose stat does its work synchronously, as the filesystem driver's does.</summary>
    private sealed class SlowStatDriver : IStorageDriver
    {
        public string Name => "slow";

        public Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken)
        {
            Thread.Sleep(50);
            return Task.FromResult<StorageEntry?>(null);
        }

        public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DeleteIfEmptyAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

        public string? GetLocalFilePath(string path) => null;
    }
}
