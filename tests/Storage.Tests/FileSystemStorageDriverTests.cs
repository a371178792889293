using System.Text;
using RegistryCloud.Storage.FileSystem;

namespace RegistryCloud.Storage.Tests;

public sealed class FileSystemStorageDriverTests : StorageDriverSuite, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "registrycloud-fs-" + Guid.NewGuid().ToString("N"));
    private readonly FileSystemStorageDriver _driver;
    private readonly FileSystemStorageDriver _second;

    public FileSystemStorageDriverTests()
    {
        _driver = new FileSystemStorageDriver(_root);
        _second = new FileSystemStorageDriver(_root);
    }

    protected override IStorageDriver Driver => _driver;

    protected override IStorageDriver SecondDriver => _second;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Files_are_stored_at_their_path_below_the_root()
    {
        await _driver.PutContentAsync("/docker/registry/v2/blobs/x/data", Encoding.UTF8.GetBytes("bytes"), TestContext.Current.CancellationToken);

        var onDisk = Path.Combine(_root, "docker", "registry", "v2", "blobs", "x", "data");
        Assert.Equal("bytes", await File.ReadAllTextAsync(onDisk, TestContext.Current.CancellationToken));
        Assert.Equal(onDisk, _driver.GetLocalFilePath("/docker/registry/v2/blobs/x/data"));
    }

    [Fact]
    public async Task Putting_content_leaves_no_temporary_file_behind()
    {
        await _driver.PutContentAsync("/dir/file", Encoding.UTF8.GetBytes("one"), TestContext.Current.CancellationToken);
        await _driver.PutContentAsync("/dir/file", Encoding.UTF8.GetBytes("two"), TestContext.Current.CancellationToken);

        Assert.Equal([Path.Combine(_root, "dir", "file")], Directory.GetFiles(Path.Combine(_root, "dir")));
    }

    [Fact]
    public async Task An_empty_marker_is_created_in_place_and_empties_a_file_it_replaces()
    {
        var ct = TestContext.Current.CancellationToken;
        await _driver.PutContentAsync("/markers/a", ReadOnlyMemory<byte>.Empty, ct);
        await _driver.PutContentAsync("/markers/b", Encoding.UTF8.GetBytes("was here"), ct);
        await _driver.PutContentAsync("/markers/b", ReadOnlyMemory<byte>.Empty, ct);

        var a = await _driver.GetContentAsync("/markers/a", ct);
        var b = await _driver.GetContentAsync("/markers/b", ct);
        Assert.NotNull(a);
        Assert.Empty(a);
        Assert.NotNull(b);
        Assert.Empty(b);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_root, "markers")).Length);
    }

    [Fact]
    public void The_root_directory_is_created_when_missing()
    {
        var root = Path.Combine(_root, "nested", "root");

        _ = new FileSystemStorageDriver(root);

        Assert.True(Directory.Exists(root));
    }
}
