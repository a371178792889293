using RegistryCloud.Storage.FileSystem;

namespace RegistryCloud.Storage.Tests;

/// <summary>
/// The O_DIRECT writer against plain expectations: whatever the sizes and the alignment of the
/// writes, the file holds exactly the bytes written, in order, and <c>Size</c> says how many.
/// </summary>
public sealed class DirectFileWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "registrycloud-direct-" + Guid.NewGuid().ToString("N"));

    public DirectFileWriterTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<int> Sizes => [0, 1, 4095, 4096, 4097, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 517];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Writes_of_any_size_land_byte_for_byte(int size)
    {
        var path = Path.Combine(_directory, "data");
        var content = Bytes(size, seed: size);

        var writer = Open(path, append: false);
        await using (writer)
        {
            // Uneven pieces, so block boundaries fall inside writes.
            for (var offset = 0; offset < size;)
            {
                var count = Math.Min(size - offset, 7919 + (offset % 65_537));
                await writer.WriteAsync(content.AsMemory(offset, count), TestContext.Current.CancellationToken);
                offset += count;
            }

            Assert.Equal(size, writer.Size);
            await writer.CommitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(content, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Appends_that_start_mid_block_keep_the_bytes_before_them()
    {
        var path = Path.Combine(_directory, "data");
        var first = Bytes(5000, seed: 1);
        var second = Bytes(2 * 1024 * 1024 + 3, seed: 2);
        var third = Bytes(10, seed: 3);

        foreach (var (part, append) in new[] { (first, false), (second, true), (third, true) })
        {
            var writer = Open(path, append);
            await using (writer)
            {
                var before = writer.Size;
                await writer.WriteAsync(part, TestContext.Current.CancellationToken);
                Assert.Equal(before + part.Length, writer.Size);
            }
        }

        Assert.Equal(first.Concat(second).Concat(third).ToArray(), await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Bytes_written_before_a_dispose_without_commit_are_kept()
    {
        var path = Path.Combine(_directory, "data");
        var content = Bytes(1024 * 1024 + 12_345, seed: 4);

        var writer = Open(path, append: false);
        await using (writer)
        {
            await writer.WriteAsync(content, TestContext.Current.CancellationToken);
        }

        Assert.Equal(content, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Writing_after_a_commit_continues_the_file()
    {
        var path = Path.Combine(_directory, "data");
        var first = Bytes(6000, seed: 5);
        var second = Bytes(1024 * 1024, seed: 6);

        var writer = Open(path, append: false);
        await using (writer)
        {
            await writer.WriteAsync(first, TestContext.Current.CancellationToken);
            await writer.CommitAsync(TestContext.Current.CancellationToken);
            await writer.WriteAsync(second, TestContext.Current.CancellationToken);
            await writer.CommitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(first.Length + second.Length, writer.Size);
        }

        Assert.Equal(first.Concat(second).ToArray(), await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Opening_without_append_replaces_what_was_there()
    {
        var path = Path.Combine(_directory, "data");
        await File.WriteAllBytesAsync(path, Bytes(9000, seed: 7), TestContext.Current.CancellationToken);
        var content = Bytes(100, seed: 8);

        var writer = Open(path, append: false);
        await using (writer)
        {
            Assert.Equal(0, writer.Size);
            await writer.WriteAsync(content, TestContext.Current.CancellationToken);
        }

        Assert.Equal(content, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
    }

    private static DirectFileWriter Open(string path, bool append)
    {
        var writer = DirectFileWriter.TryOpen(path, append);
        if (writer is null)
        {
            Assert.Skip("this platform or file system has no O_DIRECT; the filesystem driver uses its buffered writer here");
        }

        return writer;
    }

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
