using Amazon.S3;
using RegistryCloud.Storage.S3.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.S3.Tests;

/// <summary>
/// Uploads as BlobService drives them: one appending writer per request, committed, possibly on
/// another replica (another driver instance on the same bucket), then moved into place. Run on
/// plain s3rver (no UploadPartCopy: an append to a whole object streams its bytes through the
/// writer, moves use CopyObject) and on s3rver with UploadPartCopy (server-side copies, as on AWS).
/// </summary>
public abstract class S3UploadTests(S3rverServer server) : IDisposable
{
    private const int Chunk = S3StorageOptions.MinimumChunkSize;
    private const int Seed = 17;

    private readonly List<S3StorageDriver> _drivers = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_upload_larger_than_a_chunk_appended_by_writers_on_two_replicas_reads_back_byte_for_byte()
    {
        var options = server.NewOptions(chunkSize: Chunk);
        var one = Driver(options);
        var two = Driver(options);
        const string Path = "/docker/registry/v2/repositories/r/_uploads/u/data";
        // Sizes that cross chunk boundaries, leave a committed object below and above S3's 5 MiB
        // part minimum, and make writes of odd lengths.
        long[] requests = [3 * 1024 * 1024 + 7, Chunk + 12_345, 2 * Chunk + 1, 1, 777_777];

        long expected = 0;
        var writer = await one.OpenWriterAsync(Path, append: false, Token);
        await writer.DisposeAsync();
        for (var i = 0; i < requests.Length; i++)
        {
            var replica = i % 2 == 0 ? one : two;
            await using var append = await replica.OpenWriterAsync(Path, append: true, Token);
            Assert.Equal(expected, append.Size);
            await WriteAsync(append, expected, requests[i]);
            expected += requests[i];
            Assert.Equal(expected, append.Size);
            await append.CommitAsync(Token);

            Assert.Equal(expected, (await (i % 2 == 0 ? two : one).StatAsync(Path, Token))?.Size);
        }

        var stream = await two.OpenReadAsync(Path, 0, Token);
        Assert.NotNull(stream);
        await using (stream)
        {
            Assert.Equal(TestBytes.Sha256(Seed, expected), await TestBytes.Sha256Async(stream, Token));
        }
    }

    [Fact]
    public async Task Bytes_written_but_not_committed_are_seen_by_no_reader_and_a_writer_disposed_without_a_commit_changes_nothing()
    {
        var options = server.NewOptions(chunkSize: Chunk);
        var writing = Driver(options);
        var reading = Driver(options);
        const string Path = "/uploads/u/data";
        await writing.PutContentAsync(Path, TestBytes.Slice(Seed, 0, 1000), Token);

        var writer = await writing.OpenWriterAsync(Path, append: true, Token);
        await using (writer)
        {
            // Two chunks and more: parts have reached S3, none of them is the object yet.
            await WriteAsync(writer, 1000, 2 * Chunk + 100);

            Assert.Equal(1000, (await reading.StatAsync(Path, Token))?.Size);
            Assert.Equal(TestBytes.Slice(Seed, 0, 1000), await reading.GetContentAsync(Path, Token));
        }

        Assert.Equal(1000, (await reading.StatAsync(Path, Token))?.Size);
        Assert.Equal(TestBytes.Slice(Seed, 0, 1000), await reading.GetContentAsync(Path, Token));
    }

    [Fact]
    public async Task A_move_of_a_committed_multi_part_upload_gives_the_destination_whole_and_removes_the_source()
    {
        var options = server.NewOptions(chunkSize: Chunk) with { MultipartCopyThresholdSize = Chunk, MultipartCopyChunkSize = Chunk };
        var driver = Driver(options);
        const string Upload = "/docker/registry/v2/repositories/r/_uploads/u/data";
        const string Blob = "/docker/registry/v2/blobs/sha256/ab/abcd/data";
        const long Size = 3L * Chunk + 5;
        var writer = await driver.OpenWriterAsync(Upload, append: false, Token);
        await using (writer)
        {
            await WriteAsync(writer, 0, Size);
            await writer.CommitAsync(Token);
        }

        Assert.True(await driver.MoveAsync(Upload, Blob, Token));

        Assert.Null(await driver.StatAsync(Upload, Token));
        Assert.Equal(Size, (await driver.StatAsync(Blob, Token))?.Size);
        var stream = await Driver(options).OpenReadAsync(Blob, 0, Token);
        Assert.NotNull(stream);
        await using (stream)
        {
            Assert.Equal(TestBytes.Sha256(Seed, Size), await TestBytes.Sha256Async(stream, Token));
        }

        AssertCopiesRanOnTheServerWhereItCan(driver);
    }

    [Fact]
    public async Task A_chunked_upload_sends_each_byte_up_once_and_no_commit_copies_what_came_before()
    {
        // PATCHes of 6 MiB, as a client pushing in chunks sends them: each commit leaves a tail
        // below S3's part minimum, which the next request must carry on from.
        var options = server.NewOptions(chunkSize: Chunk);
        var (client, counts) = CountingS3Client.Wrap(S3ClientFactory.Create(options));
        using var driver = new S3StorageDriver(client, options, logger: null, time: null, ownsClient: true);
        const string Path = "/docker/registry/v2/repositories/r/_uploads/u/data";
        const int Requests = 8;
        const long Request = 6 * 1024 * 1024 + 3;
        var writer = await driver.OpenWriterAsync(Path, append: false, Token);
        await writer.DisposeAsync();
        for (var i = 0; i < Requests; i++)
        {
            await using var append = await driver.OpenWriterAsync(Path, append: true, Token);
            await WriteAsync(append, i * Request, Request);
            await append.CommitAsync(Token);
        }

        Assert.Equal(0, counts.Calls(nameof(IAmazonS3.CopyPartAsync)));
        Assert.Equal(0, counts.Calls(nameof(IAmazonS3.CompleteMultipartUploadAsync)));
        Assert.True(counts.PartBytes <= Requests * Request, $"{counts.PartBytes} bytes went up as parts for {Requests * Request} written");
        // What is not a part yet (a tail below the part minimum) is kept with each commit: at most
        // one part minimum per request.
        Assert.True(counts.PutBytes <= Requests * (long)S3StorageOptions.MinimumChunkSize + 64 * 1024, $"{counts.PutBytes} bytes put");
        Assert.Equal(Requests * Request, (await driver.StatAsync(Path, Token))?.Size);

        Assert.True(await driver.MoveAsync(Path, "/docker/registry/v2/blobs/sha256/ab/abcd/data", Token));
        var stream = await Driver(options).OpenReadAsync("/docker/registry/v2/blobs/sha256/ab/abcd/data", 0, Token);
        Assert.NotNull(stream);
        await using (stream)
        {
            Assert.Equal(TestBytes.Sha256(Seed, Requests * Request), await TestBytes.Sha256Async(stream, Token));
        }
    }

    [Fact]
    public async Task Reading_at_or_past_the_end_gives_an_empty_stream()
    {
        var driver = Driver(server.NewOptions());
        await driver.PutContentAsync("/file", "0123"u8.ToArray(), Token);

        foreach (var offset in new long[] { 4, 10 })
        {
            var stream = await driver.OpenReadAsync("/file", offset, Token);
            Assert.NotNull(stream);
            await using (stream)
            {
                Assert.Equal(-1, stream.ReadByte());
            }
        }
    }

    public void Dispose()
    {
        foreach (var driver in _drivers)
        {
            driver.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Where the server has UploadPartCopy, the drivers used it rather than fall back.</summary>
    private void AssertCopiesRanOnTheServerWhereItCan(params S3StorageDriver[] drivers)
    {
        Assert.All(drivers, driver => Assert.Equal(!server.AwsFeatures, driver.PartCopyUnsupported));
    }

    private static async Task WriteAsync(IStorageWriter writer, long offset, long length)
    {
        // Odd-sized writes, as request bodies arrive.
        const int Piece = 300_001;
        for (long written = 0; written < length; written += Piece)
        {
            await writer.WriteAsync(TestBytes.Slice(Seed, offset + written, (int)Math.Min(Piece, length - written)), Token);
        }
    }

    private S3StorageDriver Driver(S3StorageOptions options)
    {
        var driver = server.NewDriver(options);
        _drivers.Add(driver);
        return driver;
    }
}

[Collection(S3DriverCollection.Name)]
public sealed class S3UploadWithoutPartCopyTests(S3rverServer server) : S3UploadTests(server);

[Collection(S3AwsFeaturesCollection.Name)]
public sealed class S3UploadWithPartCopyTests(S3rverWithAwsFeatures server) : S3UploadTests(server);
