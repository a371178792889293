using System.Security.Cryptography;

namespace RegistryCloud.Storage.Tests;

/// <summary>
/// Files written by appending writers and not yet moved into place, as BlobService keeps an upload
/// session's data: one writer per request, committed, possibly on another replica. Sizes cross
/// 5 MiB, S3's smallest part but the last, so an object-storage driver's parts and tails are both
/// exercised.
/// </summary>
public abstract partial class StorageDriverSuite
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task An_unfinished_appended_file_has_its_size_and_bytes_for_every_reader()
    {
        const string Path = "/uploads/u/data";
        await AppendAsync(Driver, Path, 0, 6 * MiB + 1, create: true);
        await AppendAsync(Driver, Path, 6 * MiB + 1, MiB);
        const long Size = 7 * MiB + 1;

        foreach (var reader in new[] { Driver, SecondDriver })
        {
            var entry = await reader.StatAsync(Path, Token);
            Assert.NotNull(entry);
            Assert.False(entry.IsDirectory);
            Assert.Equal(Size, entry.Size);
            Assert.Equal(Hash(0, Size), await HashAsync(reader, Path, 0));
            Assert.Equal(Hash(5 * MiB + 3, Size - (5 * MiB + 3)), await HashAsync(reader, Path, 5 * MiB + 3));
        }

        Assert.Equal(["/uploads/u/data"], Sorted(await Driver.ListAsync("/uploads/u", Token)));
    }

    [Fact]
    public async Task A_small_unfinished_appended_file_reads_back_whole()
    {
        const string Path = "/uploads/small/data";
        await AppendAsync(Driver, Path, 0, 1000, create: true);
        await AppendAsync(SecondDriver, Path, 1000, 24);

        Assert.Equal(Content(0, 1024), await SecondDriver.GetContentAsync(Path, Token));
        Assert.Equal(1024, (await Driver.StatAsync(Path, Token))?.Size);
    }

    [Fact]
    public async Task An_append_resumes_on_another_driver_instance_where_the_last_commit_ended()
    {
        const string Path = "/uploads/r/data";
        long[] requests = [6 * MiB + 5, 1, MiB, 5 * MiB - 1, 2 * MiB + 7];
        long offset = 0;
        await using (await Driver.OpenWriterAsync(Path, append: false, Token))
        {
        }

        for (var i = 0; i < requests.Length; i++)
        {
            var writer = i % 2 == 0 ? Driver : SecondDriver;
            var reader = i % 2 == 0 ? SecondDriver : Driver;
            Assert.Equal(offset, (await reader.StatAsync(Path, Token))?.Size);
            await AppendAsync(writer, Path, offset, requests[i]);
            offset += requests[i];
        }

        Assert.Equal(offset, (await Driver.StatAsync(Path, Token))?.Size);
        Assert.Equal(Hash(0, offset), await HashAsync(SecondDriver, Path, 0));
    }

    [Fact]
    public async Task A_writer_disposed_without_a_commit_leaves_the_last_commit_and_at_most_a_prefix_of_what_followed()
    {
        // A file keeps what was written to it; object storage keeps nothing past the last commit.
        // Either way the size any reader sees next is where the bytes end and the next append starts.
        const string Path = "/uploads/a/data";
        await AppendAsync(Driver, Path, 0, 6 * MiB, create: true);

        var abandoned = await Driver.OpenWriterAsync(Path, append: true, Token);
        await using (abandoned)
        {
            // Past a chunk and more: an object-storage driver has sent some of it already.
            await WriteAsync(abandoned, 6 * MiB, 12 * MiB);
        }

        var size = (await SecondDriver.StatAsync(Path, Token))?.Size ?? -1;
        Assert.InRange(size, 6 * MiB, 18 * MiB);
        await AppendAsync(SecondDriver, Path, size, 3 * MiB);
        Assert.Equal(Hash(0, size + 3 * MiB), await HashAsync(Driver, Path, 0));
    }

    [Fact]
    public async Task An_unfinished_appended_file_moves_whole_into_place()
    {
        const string Upload = "/uploads/m/data";
        const string Blob = "/blobs/sha256/ab/abcd/data";
        await AppendAsync(Driver, Upload, 0, 6 * MiB + 3, create: true);
        await AppendAsync(SecondDriver, Upload, 6 * MiB + 3, 2 * MiB);
        const long Size = 8 * MiB + 3;

        Assert.True(await Driver.MoveAsync(Upload, Blob, Token));

        Assert.Null(await SecondDriver.StatAsync(Upload, Token));
        Assert.Null(await SecondDriver.OpenReadAsync(Upload, 0, Token));
        Assert.Equal(Size, (await SecondDriver.StatAsync(Blob, Token))?.Size);
        Assert.Equal(Hash(0, Size), await HashAsync(SecondDriver, Blob, 0));
    }

    [Fact]
    public async Task A_small_unfinished_appended_file_moves_whole_into_place()
    {
        await AppendAsync(Driver, "/uploads/s/data", 0, 4096, create: true);

        Assert.True(await SecondDriver.MoveAsync("/uploads/s/data", "/blobs/small/data", Token));

        Assert.Null(await Driver.StatAsync("/uploads/s/data", Token));
        Assert.Equal(Content(0, 4096), await Driver.GetContentAsync("/blobs/small/data", Token));
    }

    [Fact]
    public async Task Deleting_an_unfinished_upload_removes_it_and_nothing_beside_it()
    {
        await AppendAsync(Driver, "/repo/_uploads/u/data", 0, 6 * MiB + 1, create: true);
        await Driver.PutContentAsync("/repo/_uploads/u/startedat", Content(0, 10), Token);
        await AppendAsync(Driver, "/repo/_uploads/v/data", 0, 10, create: true);

        Assert.True(await SecondDriver.DeleteAsync("/repo/_uploads/u", Token));
        Assert.True(await SecondDriver.DeleteAsync("/repo/_uploads/v/data", Token));

        Assert.Null(await Driver.StatAsync("/repo/_uploads/u/data", Token));
        Assert.Null(await Driver.OpenReadAsync("/repo/_uploads/u/data", 0, Token));
        Assert.Null(await Driver.StatAsync("/repo/_uploads/v/data", Token));
        Assert.True(await Driver.DeleteIfEmptyAsync("/repo/_uploads/v", Token));
        Assert.Empty(await Driver.ListAsync("/repo/_uploads", Token));
        Assert.True(await Driver.DeleteIfEmptyAsync("/repo/_uploads", Token));
    }

    [Fact]
    public async Task A_directory_holding_only_an_unfinished_appended_file_is_not_empty()
    {
        await AppendAsync(Driver, "/only/u/data", 0, 7 * MiB, create: true);

        Assert.False(await SecondDriver.DeleteIfEmptyAsync("/only/u/data", Token));
        Assert.False(await SecondDriver.DeleteIfEmptyAsync("/only/u", Token));
        Assert.True((await SecondDriver.StatAsync("/only/u", Token))?.IsDirectory);
        Assert.Equal(["/only/u"], await SecondDriver.ListAsync("/only", Token));
    }

    /// <summary>One request's worth: an appending writer (a new file with <paramref name="create"/>), written and committed.</summary>
    private static async Task AppendAsync(IStorageDriver driver, string path, long offset, long length, bool create = false)
    {
        var writer = await driver.OpenWriterAsync(path, append: !create, Token);
        await using (writer)
        {
            Assert.Equal(offset, writer.Size);
            await WriteAsync(writer, offset, length);
            Assert.Equal(offset + length, writer.Size);
            await writer.CommitAsync(Token);
        }
    }

    private static async Task WriteAsync(IStorageWriter writer, long offset, long length)
    {
        // Odd-sized writes, as request bodies arrive.
        const int Piece = 300_001;
        for (long written = 0; written < length; written += Piece)
        {
            await writer.WriteAsync(Content(offset + written, (int)Math.Min(Piece, length - written)), Token);
        }
    }

    /// <summary>Bytes that depend on their position, so a byte out of place changes the hash.</summary>
    private static byte[] Content(long offset, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            var position = offset + i;
            bytes[i] = (byte)((position * 2654435761L >> 13) ^ (position >> 7));
        }

        return bytes;
    }

    private static string Hash(long offset, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (long done = 0; done < length; done += MiB)
        {
            hash.AppendData(Content(offset + done, (int)Math.Min(MiB, length - done)));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static async Task<string> HashAsync(IStorageDriver driver, string path, long offset)
    {
        var stream = await driver.OpenReadAsync(path, offset, Token);
        Assert.NotNull(stream);
        await using (stream)
        {
            return Convert.ToHexString(await SHA256.HashDataAsync(stream, Token));
        }
    }
}
