using Microsoft.Extensions.Logging.Abstractions;
using RegistryCloud.ManifestService.Listings;
using RegistryCloud.ManifestService.Tags;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.ManifestService.Tests.Tags;

public sealed class TagStoreTests
{
    /// <summary>Listings without Redis: nothing to keep.</summary>
    private static ListingIndexes Unindexed(IStorageDriver driver) => new(driver, NullLogger<ListingIndexes>.Instance);

    private static readonly Digest First = Digest.Compute("first"u8, Digest.Sha256);
    private static readonly Digest Second = Digest.Compute("second"u8, Digest.Sha256);

    [Fact]
    public async Task Tagging_the_digest_a_tag_already_names_writes_nothing()
    {
        var driver = new CountingDriver();
        var tags = new TagStore(driver, Unindexed(driver));
        await tags.TagAsync("app", "v1", First, TestContext.Current.CancellationToken);
        var writes = driver.Puts;

        await tags.TagAsync("app", "v1", First, TestContext.Current.CancellationToken);

        Assert.Equal(3, writes);
        Assert.Equal(writes, driver.Puts);
        Assert.Equal(First, await tags.ResolveAsync("app", "v1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Moving_a_tag_and_back_keeps_the_reverse_index_exact()
    {
        var tags = new TagStore(new InMemoryStorageDriver(), Unindexed(new InMemoryStorageDriver()));
        var ct = TestContext.Current.CancellationToken;

        await tags.TagAsync("app", "v1", First, ct);
        await tags.TagAsync("app", "v1", Second, ct);
        Assert.Empty(await tags.FindByDigestAsync("app", First, ct));
        Assert.Equal(["v1"], await tags.FindByDigestAsync("app", Second, ct));

        // Back to the first: its history link is already there and is not rewritten, its marker is.
        await tags.TagAsync("app", "v1", First, ct);
        Assert.Equal(["v1"], await tags.FindByDigestAsync("app", First, ct));
        Assert.Empty(await tags.FindByDigestAsync("app", Second, ct));
        Assert.Equal(First, await tags.ResolveAsync("app", "v1", ct));
    }

    [Fact]
    public async Task A_history_link_lost_after_the_current_link_was_written_comes_back_on_the_next_tag()
    {
        var driver = new InMemoryStorageDriver();
        var tags = new TagStore(driver, Unindexed(driver));
        var ct = TestContext.Current.CancellationToken;
        await tags.TagAsync("app", "v1", First, ct);
        var history = RegistryPaths.TagIndexLink("app", "v1", First);
        Assert.Equal(RegistryPaths.LinkContent(First), await driver.GetContentAsync(history, ct));

        // As if its write had failed alongside a current link that succeeded.
        await driver.DeleteAsync(history, ct);
        await tags.TagAsync("app", "v1", First, ct);

        Assert.Equal(RegistryPaths.LinkContent(First), await driver.GetContentAsync(history, ct));
    }

    [Fact]
    public async Task The_reverse_index_marker_is_in_place_before_the_current_link_is_written()
    {
        var driver = new CountingDriver();
        var tags = new TagStore(driver, Unindexed(driver));
        var ct = TestContext.Current.CancellationToken;
        var marker = RegistryPaths.DigestTagMarker("app", First, "v1");
        driver.BeforePut = async path =>
        {
            if (path == marker)
            {
                // A slow marker write: a current link written alongside it would start meanwhile.
                await Task.Delay(50, ct);
            }

            if (path == RegistryPaths.TagCurrentLink("app", "v1"))
            {
                Assert.NotNull(await driver.StatAsync(marker, ct));
            }
        };

        await tags.TagAsync("app", "v1", First, ct);

        Assert.Equal(First, await tags.ResolveAsync("app", "v1", ct));
    }

    private sealed class CountingDriver : IStorageDriver
    {
        private readonly InMemoryStorageDriver _inner = new();

        public int Puts { get; private set; }

        public Func<string, Task>? BeforePut { get; set; }

        public string Name => _inner.Name;

        public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken) => _inner.GetContentAsync(path, cancellationToken);

        public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            Puts++;
            if (BeforePut is { } before)
            {
                await before(path);
            }

            await _inner.PutContentAsync(path, content, cancellationToken);
        }

        public Task<Stream?> OpenReadAsync(string path, long offset, CancellationToken cancellationToken) => _inner.OpenReadAsync(path, offset, cancellationToken);

        public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken) => _inner.OpenWriterAsync(path, append, cancellationToken);

        public Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken) => _inner.StatAsync(path, cancellationToken);

        public Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken) => _inner.ListAsync(path, cancellationToken);

        public Task<bool> MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken) => _inner.MoveAsync(sourcePath, destinationPath, cancellationToken);

        public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) => _inner.DeleteAsync(path, cancellationToken);

        public Task<bool> DeleteIfEmptyAsync(string path, CancellationToken cancellationToken) => _inner.DeleteIfEmptyAsync(path, cancellationToken);

        public Task<StorageLock> TryLockAsync(string path, CancellationToken cancellationToken) => _inner.TryLockAsync(path, cancellationToken);

        public string? GetLocalFilePath(string path) => _inner.GetLocalFilePath(path);
    }
}
