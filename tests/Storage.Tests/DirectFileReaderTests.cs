using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;
using RegistryCloud.Storage.FileSystem;

namespace RegistryCloud.Storage.Tests;

/// <summary>
/// Direct reads of uncached ranges: whatever the alignment of the range, the bytes sent are
/// exactly the file's, the page cache is left as it was, and ranges that the cache serves
/// better keep the buffered path.
/// </summary>
public sealed class DirectFileReaderTests : IDisposable
{
    private const int FileSize = 3 * 1024 * 1024 + 517;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "registrycloud-direct-read-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] _content = new byte[FileSize];

    public DirectFileReaderTests()
    {
        Directory.CreateDirectory(_directory);
        new Random(17).NextBytes(_content);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<long, long> Ranges => new()
    {
        { 0, FileSize },
        { 1, FileSize - 1 },
        { 4095, 1024 * 1024 + 1 },
        { 512 * 1024 - 3, 2 * 1024 * 1024 },
        { FileSize - 1024 * 1024 - 1, 1024 * 1024 + 1 },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task An_uncached_range_is_sent_byte_for_byte_and_stays_out_of_the_cache(long offset, long length)
    {
        var path = await WriteUncachedAsync();
        using var handle = File.OpenHandle(path);
        Assert.True(DirectFileReader.TryBegin(handle, offset, length), "a long uncached range is read directly");

        var (sent, bytes) = await CopyAsync(handle, offset, length);

        Assert.Equal(length, sent);
        Assert.Equal(_content.AsSpan((int)offset, (int)length).ToArray(), bytes);
        Assert.True(DirectIo.CachedBytes(handle, 0, FileSize) < FileSize / 2, "direct reads do not fill the page cache");
    }

    [Fact]
    public async Task A_cached_file_keeps_the_buffered_path()
    {
        var path = Path.Combine(_directory, "cached");
        await File.WriteAllBytesAsync(path, _content, TestContext.Current.CancellationToken);
        using var handle = File.OpenHandle(path);
        SkipWithoutCacheStat(handle);

        Assert.False(DirectFileReader.TryBegin(handle, 0, FileSize));
    }

    [Fact]
    public async Task A_short_range_keeps_the_buffered_path()
    {
        var path = await WriteUncachedAsync();
        using var handle = File.OpenHandle(path);

        Assert.False(DirectFileReader.TryBegin(handle, 0, DirectFileReader.MinimumLength - 1));
    }

    [Fact]
    public async Task A_file_shorter_than_the_range_fails_rather_than_sending_less()
    {
        var path = await WriteUncachedAsync();
        using var handle = File.OpenHandle(path);
        Assert.True(DirectFileReader.TryBegin(handle, 1024 * 1024, FileSize));

        await Assert.ThrowsAsync<EndOfStreamException>(() => CopyAsync(handle, 1024 * 1024, FileSize));
    }

    [Fact]
    public async Task A_reader_that_stops_ends_the_copy_early()
    {
        var path = await WriteUncachedAsync();
        using var handle = File.OpenHandle(path);
        Assert.True(DirectFileReader.TryBegin(handle, 0, FileSize));
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await pipe.Reader.CompleteAsync();

        var sent = await DirectFileReader.CopyAsync(handle, 0, FileSize, pipe.Writer, TestContext.Current.CancellationToken);

        Assert.InRange(sent, 1, FileSize - 1);
    }

    // Written as blobs are, with O_DIRECT, so the data is not in the page cache.
    private async Task<string> WriteUncachedAsync()
    {
        var path = Path.Combine(_directory, "blob");
        var writer = DirectFileWriter.TryOpen(path, append: false);
        if (writer is null)
        {
            Assert.Skip("this platform or file system has no O_DIRECT");
        }

        await using (writer)
        {
            await writer.WriteAsync(_content, TestContext.Current.CancellationToken);
            await writer.CommitAsync(TestContext.Current.CancellationToken);
        }

        using var handle = File.OpenHandle(path);
        SkipWithoutCacheStat(handle);
        return path;
    }

    private static void SkipWithoutCacheStat(SafeFileHandle handle)
    {
        if (DirectIo.CachedBytes(handle, 0, 1) is null)
        {
            Assert.Skip("this kernel has no cachestat (Linux 6.5+); ranges are read through the page cache");
        }
    }

    private static async Task<(long Sent, byte[] Bytes)> CopyAsync(SafeFileHandle handle, long offset, long length)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var sent = await DirectFileReader.CopyAsync(handle, offset, length, pipe.Writer, TestContext.Current.CancellationToken);
        await pipe.Writer.CompleteAsync();
        using var received = new MemoryStream();
        await pipe.Reader.AsStream().CopyToAsync(received, TestContext.Current.CancellationToken);
        return (sent, received.ToArray());
    }
}
