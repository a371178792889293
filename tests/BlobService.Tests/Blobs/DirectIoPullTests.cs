using System.Net;
using System.Net.Http.Headers;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Storage.FileSystem;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Blobs;

/// <summary>
/// Large blobs on the filesystem driver: by default their bytes bypass the page cache both ways
/// (written and read with O_DIRECT); with <c>storage.filesystem.directio: false</c> they go
/// through it. Either way a pull answers exactly the pushed bytes, whole or by range.
/// </summary>
public sealed class DirectIoPullTests(TemporaryFileSystemBlobService direct, BufferedFileSystemBlobService buffered)
    : IClassFixture<TemporaryFileSystemBlobService>, IClassFixture<BufferedFileSystemBlobService>
{
    private const int Size = 3 * 1024 * 1024 + 517;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_large_blob_pulled_whole_and_by_range_never_enters_the_page_cache()
    {
        var (client, repository, content, digest, path) = await PushAsync(direct, direct.Root);
        SkipWithoutDirectIo(direct.Root, path);
        Assert.True(Cached(path) < Size / 2, "the pushed bytes were written around the page cache");

        await AssertPullsAsync(client, repository, content, digest);

        Assert.True(Cached(path) < Size / 2, "the pulled bytes were read around the page cache");
    }

    [Fact]
    public async Task With_directio_off_a_large_blob_goes_through_the_page_cache()
    {
        var (client, repository, content, digest, path) = await PushAsync(buffered, buffered.Root);
        SkipWithoutDirectIo(buffered.Root, path);
        Assert.True(Cached(path) >= Size, "the pushed bytes were written through the page cache");
        await DropFromCacheAsync(path, content);
        Assert.True(Cached(path) < Size / 2, "the test's own direct rewrite dropped the blob from the page cache");

        await AssertPullsAsync(client, repository, content, digest);

        Assert.True(Cached(path) >= Size, "the pulled bytes were read through the page cache");
    }

    private static async Task AssertPullsAsync(HttpClient client, string repository, byte[] content, string digest)
    {
        using (var whole = await client.GetAsync($"/v2/{repository}/blobs/{digest}", Token))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync(Token));
        }

        // A range that starts and ends off the 4 KiB alignment direct reads need.
        const int from = 4095, to = 2 * 1024 * 1024 + 12;
        using var range = await client.GetAsync($"/v2/{repository}/blobs/{digest}", request => request.Headers.Range = new RangeHeaderValue(from, to));
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(content[from..(to + 1)], await range.Content.ReadAsByteArrayAsync(Token));
    }

    private static async Task<(HttpClient Client, string Repository, byte[] Content, string Digest, string Path)> PushAsync(BlobServiceFactory service, string root)
    {
        var client = service.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(Size);
        var digest = await client.PushBlobAsync(repository, content);
        var hex = digest["sha256:".Length..];
        return (client, repository, content, digest, Path.Combine(root, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data"));
    }

    // A direct write of the same bytes invalidates the cached pages it covers (all but the tail).
    private static async Task DropFromCacheAsync(string path, byte[] content)
    {
        var writer = DirectFileWriter.TryOpen(path, append: false)!;
        await using (writer)
        {
            await writer.WriteAsync(content, Token);
            await writer.CommitAsync(Token);
        }
    }

    private static long Cached(string path)
    {
        using var handle = File.OpenHandle(path);
        return DirectIo.CachedBytes(handle, 0, new FileInfo(path).Length) ?? throw new InvalidOperationException("cachestat is unavailable");
    }

    private static void SkipWithoutDirectIo(string root, string path)
    {
        using (var handle = File.OpenHandle(path))
        {
            if (DirectIo.CachedBytes(handle, 0, 1) is null)
            {
                Assert.Skip("this kernel has no cachestat (Linux 6.5+)");
            }
        }

        var probe = Path.Combine(root, "direct-probe");
        var writer = DirectFileWriter.TryOpen(probe, append: false);
        if (writer is null)
        {
            Assert.Skip("this platform or file system has no O_DIRECT");
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        File.Delete(probe);
    }
}
