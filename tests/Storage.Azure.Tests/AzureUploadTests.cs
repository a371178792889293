using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.Azure.Tests;

/// <summary>
/// The upload pattern of BlobService on Azure: a session's data appended to by one request after
/// another, on whichever replica each lands (here two driver instances on one container), each
/// under the session's lock and ending in a commit; then the move that makes it a blob.
/// </summary>
public sealed class AzureUploadTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private const string Upload = "/docker/registry/v2/repositories/team/app/_uploads/7d8e/data";
    private const string Lock = "/docker/registry/v2/repositories/team/app/_uploads/7d8e/lock";
    private const string BlobData = "/docker/registry/v2/blobs/sha256/ab/abcd/data";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_upload_larger_than_a_chunk_appended_to_from_two_instances_reads_back_byte_for_byte()
    {
        var options = azurite.NewOptions(chunkSize: AzureStorageDriverOptions.MinimumChunkSize);
        AzureStorageDriver[] replicas = [new(options), new(options)];
        var content = RandomNumberGenerator.GetBytes((5 * AzureStorageDriverOptions.MinimumChunkSize) + 12345);
        await using (await replicas[0].OpenWriterAsync(Upload, append: false, Token))
        {
            // The session starts with an empty data file, as UploadStore.StartAsync makes it.
        }

        long offset = 0;
        var request = 0;
        foreach (var length in new[] { 100_000, 1, 65_536, 150_000, content.Length - 100_000 - 1 - 65_536 - 150_000 })
        {
            var replica = replicas[request++ % 2];
            using var session = await replica.TryLockAsync(Lock, Token);
            Assert.True(session.IsHeld);
            var writer = await replica.OpenWriterAsync(Upload, append: true, Token);
            await using (writer)
            {
                Assert.Equal(offset, writer.Size);
                // Odd-sized writes, as request bodies arrive, crossing chunk boundaries.
                for (var written = 0; written < length; written += 7919)
                {
                    await writer.WriteAsync(content.AsMemory((int)offset + written, Math.Min(7919, length - written)), Token);
                }

                await writer.CommitAsync(Token);
                Assert.Equal(offset + length, writer.Size);
            }

            offset += length;
            Assert.Equal(offset, (await replicas[request % 2].StatAsync(Upload, Token))?.Size);
        }

        Assert.True(await replicas[1].MoveAsync(Upload, BlobData, Token));

        var stream = await replicas[0].OpenReadAsync(BlobData, 0, Token);
        Assert.NotNull(stream);
        await using (stream)
        {
            var read = new MemoryStream();
            await stream.CopyToAsync(read, Token);
            Assert.Equal(SHA256.HashData(content), SHA256.HashData(read.ToArray()));
            Assert.Equal(content.Length, read.Length);
        }

        Assert.Null(await replicas[0].StatAsync(Upload, Token));
    }

    [Fact]
    public async Task Bytes_written_are_not_seen_before_the_commit_and_are_all_seen_after_it()
    {
        var options = azurite.NewOptions(chunkSize: AzureStorageDriverOptions.MinimumChunkSize);
        var other = new AzureStorageDriver(options);
        var driver = new AzureStorageDriver(options);
        await driver.PutContentAsync(Upload, "abc"u8.ToArray(), Token);

        var writer = await driver.OpenWriterAsync(Upload, append: true, Token);
        await using (writer)
        {
            // Three full chunks are staged on the service, but not committed.
            await writer.WriteAsync(new byte[3 * AzureStorageDriverOptions.MinimumChunkSize], Token);
            Assert.Equal(3 + (3 * AzureStorageDriverOptions.MinimumChunkSize), writer.Size);
            Assert.Equal(3, (await other.StatAsync(Upload, Token))?.Size);
            Assert.Equal("abc"u8.ToArray(), await other.GetContentAsync(Upload, Token));

            await writer.CommitAsync(Token);
        }

        Assert.Equal(3 + (3 * AzureStorageDriverOptions.MinimumChunkSize), (await other.StatAsync(Upload, Token))?.Size);
    }

    [Fact]
    public async Task A_blob_being_moved_over_is_seen_whole_old_or_whole_new_never_in_part()
    {
        var options = azurite.NewOptions();
        var mover = new AzureStorageDriver(options) { CopyBlockSize = 64 * 1024 };
        var reader = new AzureStorageDriver(options);
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        await mover.PutContentAsync(Upload, content, Token);
        await mover.PutContentAsync(BlobData, "old"u8.ToArray(), Token);

        using var moved = new CancellationTokenSource();
        var observed = new List<long>();
        var watching = Task.Run(async () =>
        {
            while (!moved.IsCancellationRequested)
            {
                var entry = await reader.StatAsync(BlobData, Token);
                var bytes = await reader.GetContentAsync(BlobData, Token);
                lock (observed)
                {
                    observed.Add(entry?.Size ?? -1);
                    observed.Add(bytes?.Length ?? -1);
                }

                if (bytes is not null && bytes.Length == content.Length)
                {
                    Assert.Equal(content, bytes);
                }
            }
        }, Token);

        // 48 ranges copied server-side: a destination written as they arrive would be seen in part.
        Assert.True(await mover.MoveAsync(Upload, BlobData, Token));
        await moved.CancelAsync();
        await watching;

        Assert.All(observed, size => Assert.True(size is 3 || size == content.Length, $"seen with {size} bytes"));
        Assert.Equal(content, await reader.GetContentAsync(BlobData, Token));
    }

    [Fact]
    public async Task A_commit_after_another_writer_committed_fails_rather_than_losing_bytes()
    {
        var options = azurite.NewOptions();
        AzureStorageDriver[] replicas = [new(options), new(options)];
        await replicas[0].PutContentAsync(Upload, "start"u8.ToArray(), Token);

        var first = await replicas[0].OpenWriterAsync(Upload, append: true, Token);
        var second = await replicas[1].OpenWriterAsync(Upload, append: true, Token);
        await second.WriteAsync("-second"u8.ToArray(), Token);
        await second.CommitAsync(Token);
        await second.DisposeAsync();
        await first.WriteAsync("-first"u8.ToArray(), Token);

        await Assert.ThrowsAsync<IOException>(() => first.CommitAsync(Token));
        await first.DisposeAsync();

        Assert.Equal("start-second"u8.ToArray(), await replicas[0].GetContentAsync(Upload, Token));
    }

    [Fact]
    public async Task Reading_at_or_past_the_end_of_a_file_gives_no_bytes()
    {
        var driver = new AzureStorageDriver(azurite.NewOptions());
        await driver.PutContentAsync("/f", "12345"u8.ToArray(), Token);
        await using (await driver.OpenWriterAsync("/empty", append: false, Token))
        {
        }

        foreach (var (path, offset) in new[] { ("/f", 5L), ("/f", 9L), ("/empty", 0L) })
        {
            var stream = await driver.OpenReadAsync(path, offset, Token);
            Assert.NotNull(stream);
            await using (stream)
            {
                Assert.Equal(0, await stream.ReadAsync(new byte[8], Token));
            }
        }
    }

    [Fact]
    public async Task A_read_stream_knows_the_blob_length_and_seeks_by_asking_for_another_range()
    {
        var driver = new AzureStorageDriver(azurite.NewOptions());
        var content = RandomNumberGenerator.GetBytes(10_000);
        await driver.PutContentAsync(BlobData, content, Token);

        var stream = await driver.OpenReadAsync(BlobData, 300, Token);

        Assert.NotNull(stream);
        await using (stream)
        {
            Assert.True(stream.CanSeek);
            Assert.Equal((10_000, 300), (stream.Length, stream.Position));
            Assert.Equal(content[300..310], await ReadAsync(stream, 10));
            stream.Seek(7_000, SeekOrigin.Begin);
            Assert.Equal(content[7_000..7_010], await ReadAsync(stream, 10));
            stream.Position = 5;
            Assert.Equal(content[5..15], await ReadAsync(stream, 10));
            stream.Seek(-4, SeekOrigin.End);
            Assert.Equal(content[^4..], await ReadAsync(stream, 10));
            Assert.Equal(0, await stream.ReadAsync(new byte[10], Token));
        }
    }

    [Fact]
    public async Task A_read_stream_never_mixes_two_versions_of_a_blob()
    {
        var driver = new AzureStorageDriver(azurite.NewOptions());
        await driver.PutContentAsync(BlobData, new byte[1000], Token);
        var stream = await driver.OpenReadAsync(BlobData, 0, Token);
        Assert.NotNull(stream);
        await using (stream)
        {
            Assert.Equal(new byte[10], await ReadAsync(stream, 10));

            await driver.PutContentAsync(BlobData, Enumerable.Repeat((byte)1, 1000).ToArray(), Token);
            stream.Seek(500, SeekOrigin.Begin);

            await Assert.ThrowsAsync<IOException>(() => ReadAsync(stream, 10));
        }
    }

    private static async Task<byte[]> ReadAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count && await stream.ReadAsync(buffer.AsMemory(read), Token) is var n and > 0)
        {
            read += n;
        }

        return buffer[..read];
    }

    [Fact]
    public async Task A_blob_Distribution_wrote_as_an_append_blob_is_read_and_replaced_by_a_move()
    {
        var options = azurite.NewOptions();
        var driver = new AzureStorageDriver(options);
        await driver.PutContentAsync("/other/file", "x"u8.ToArray(), Token);
        var appended = driver.Container.GetAppendBlobClient(BlobData[1..]);
        await appended.CreateAsync(new AppendBlobCreateOptions(), Token);
        await appended.AppendBlockAsync(new MemoryStream("distribution"u8.ToArray()), cancellationToken: Token);

        Assert.Equal(12, (await driver.StatAsync(BlobData, Token))?.Size);
        Assert.Equal("distribution"u8.ToArray(), await driver.GetContentAsync(BlobData, Token));

        await driver.PutContentAsync(Upload, "registrycloud"u8.ToArray(), Token);
        Assert.True(await driver.MoveAsync(Upload, BlobData, Token));

        Assert.Equal("registrycloud"u8.ToArray(), await driver.GetContentAsync(BlobData, Token));
    }

    [Fact]
    public async Task Content_put_over_an_append_blob_replaces_it()
    {
        var driver = new AzureStorageDriver(azurite.NewOptions());
        await driver.PutContentAsync("/other/file", "x"u8.ToArray(), Token);
        var appended = driver.Container.GetAppendBlobClient(BlobData[1..]);
        await appended.CreateAsync(new AppendBlobCreateOptions(), Token);
        await appended.AppendBlockAsync(new MemoryStream("distribution"u8.ToArray()), cancellationToken: Token);

        await driver.PutContentAsync(BlobData, "manifest"u8.ToArray(), Token);

        Assert.Equal("manifest"u8.ToArray(), await driver.GetContentAsync(BlobData, Token));
    }
}
