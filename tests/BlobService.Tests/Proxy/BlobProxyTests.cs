using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Proxy;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Configuration;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Storage;

namespace RegistryCloud.BlobService.Tests.Proxy;

/// <summary>
/// Blob pulls of a proxied repository (<c>hub/*</c> mirrors a Distribution, Docker Hub's
/// <c>library/</c> rule on): fetched once and stored as they stream, verified, linked only
/// where the upstream holds them; pushes there refused.
/// </summary>
public sealed class BlobProxyTests(UpstreamRegistry upstream) : IClassFixture<UpstreamRegistry>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Settings(string root, string remote) => new()
    {
        [RegistryStorageOptions.DriverKey] = "filesystem",
        [RegistryStorageOptions.RootDirectoryKey] = root,
        ["REGISTRY_PROXIES_0_PREFIX"] = "hub",
        ["REGISTRY_PROXIES_0_REMOTEURL"] = remote,
        ["REGISTRY_PROXIES_0_LIBRARY"] = "true",
    };

    [Fact]
    public async Task Concurrent_pulls_of_an_uncached_blob_on_two_replicas_fetch_it_from_upstream_once()
    {
        var content = TestContent.NewBlob(8 * 1024 * 1024);
        var digest = TestContent.DigestOf(content);
        await upstream.Distribution.PushBlobAsync("library/big", content);
        await using var counting = await CountingForwarder.StartAsync(upstream.Address);
        counting.HoldBlobBodies = true;
        using var root = new TemporaryDirectory();
        await using var first = new BlobServiceFactory(Settings(root.Path, counting.Address));
        await using var second = new BlobServiceFactory(Settings(root.Path, counting.Address));
        var clients = new[] { first.CreateClient(), second.CreateClient() };

        var pulls = Enumerable.Range(0, 6).Select(i => Task.Run(() => clients[i % 2].GetByteArrayAsync($"/v2/hub/big/blobs/{digest}", Token))).ToList();
        await Poll.UntilAsync(() => counting.Count("GET", "blobs") >= 1, "no replica fetched the blob upstream");
        counting.Release();
        var bodies = await Task.WhenAll(pulls);

        Assert.All(bodies, body => Assert.Equal(content, body));
        Assert.Equal(1, counting.Count("GET", "blobs"));
        Assert.True(File.Exists(root.Path + RegistryPaths.BlobData(Oci.Digest.Parse(digest))));
    }

    [Fact]
    public async Task A_pull_waiting_on_a_fetch_that_makes_no_progress_answers_503_after_the_read_timeout()
    {
        var content = TestContent.NewBlob(4096);
        var digest = TestContent.DigestOf(content);
        await upstream.Distribution.PushBlobAsync("library/stalled", content);
        using var root = new TemporaryDirectory();

        // Another replica's fetch that has stopped: it holds the lock and records no progress.
        var lockFile = root.Path + RegistryPaths.ProxyFetchDirectory(Oci.Digest.Parse(digest)) + "/lock";
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        var held = File.OpenHandle(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        await using var service = new BlobServiceFactory(Settings(root.Path, upstream.Address));
        using var client = service
            .WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton(new UpstreamClientOptions { ReadIdleTimeout = TimeSpan.FromSeconds(1) })))
            .CreateClient();

        using (var waited = await client.GetAsync($"/v2/hub/stalled/blobs/{digest}", Token).WaitAsync(TimeSpan.FromSeconds(30), Token))
        {
            await OciAssert.ErrorAsync(waited, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        }

        held.Dispose();
        Assert.Equal(content, await client.GetByteArrayAsync($"/v2/hub/stalled/blobs/{digest}", Token));
    }

    [Fact]
    public async Task A_client_that_hangs_up_once_it_has_every_byte_still_leaves_the_blob_cached()
    {
        var content = TestContent.NewBlob(2 * 1024 * 1024 + 100);
        var digest = TestContent.DigestOf(content);
        await upstream.Distribution.PushBlobAsync("library/hangup", content);
        using var root = new TemporaryDirectory();
        var storage = new CommitAfterHangUpDriver(new InMemoryStorageDriver());
        await using var service = new BlobServiceFactory(Settings(root.Path, upstream.Address));
        using var client = service.WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton<IStorageDriver>(storage))).CreateClient();

        using (var response = await client.GetAsync($"/v2/hub/hangup/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead, Token))
        {
            var received = new byte[content.Length];
            await (await response.Content.ReadAsStreamAsync(Token)).ReadExactlyAsync(received, Token);
            Assert.Equal(content, received);
        }

        // The commit (the fsync, in a real driver) runs only now that the client has gone.
        storage.ClientGone.SetResult();
        await Poll.UntilAsync(
            async () => await storage.StatAsync(RegistryPaths.BlobData(Oci.Digest.Parse(digest)), Token) is not null, "the blob was not cached");
    }

    [Fact]
    public async Task A_cached_blob_is_served_without_going_upstream()
    {
        var content = TestContent.NewBlob(4096);
        var digest = TestContent.DigestOf(content);
        await upstream.Distribution.PushBlobAsync("library/small", content);
        await using var counting = await CountingForwarder.StartAsync(upstream.Address);
        using var root = new TemporaryDirectory();
        await using var service = new BlobServiceFactory(Settings(root.Path, counting.Address));
        using var client = service.CreateClient();

        Assert.Equal(content, await client.GetByteArrayAsync($"/v2/hub/small/blobs/{digest}", Token));
        Assert.Equal(content, await client.GetByteArrayAsync($"/v2/hub/small/blobs/{digest}", Token));

        Assert.Equal(1, counting.Count("GET", "blobs"));
        Assert.Equal(0, counting.Count("HEAD", "blobs"));
    }

    [Theory]
    [InlineData(300_000, true)]
    [InlineData(2 * 1024 * 1024 + 300_000, true)]
    [InlineData(2 * 1024 * 1024 + 300_000, false)]
    public async Task Bytes_that_do_not_match_their_digest_fail_the_transfer_and_store_nothing(int length, bool upstreamSendsLength)
    {
        var claimed = TestContent.NewBlob(length);
        var digest = TestContent.DigestOf(claimed);
        var served = 0;
        var (corrupt, address) = await LoopbackApp.StartAsync(app => app.MapGet("/v2/{**path}", async (HttpContext context) =>
        {
            Interlocked.Increment(ref served);
            var wrong = (byte[])claimed.Clone();
            wrong[^1] ^= 0xff;
            if (upstreamSendsLength)
            {
                context.Response.ContentLength = wrong.Length;
            }

            await context.Response.Body.WriteAsync(wrong);
        }));
        await using var _ = corrupt;
        using var root = new TemporaryDirectory();
        await using var service = new BlobServiceFactory(Settings(root.Path, address));

        // On a real socket: a response that wrote all its bytes ends cleanly there whatever the server does next.
        service.UseKestrel(0);
        service.StartServer();
        using var client = service.CreateClient();

        Assert.Null(await CleanEndAsync(client, $"/v2/hub/corrupt/blobs/{digest}"));
        Assert.False(File.Exists(root.Path + RegistryPaths.BlobData(Oci.Digest.Parse(digest))));
        Assert.False(Directory.Exists(root.Path + RegistryPaths.LayersDirectory("hub/corrupt")));
        Assert.Null(await CleanEndAsync(client, $"/v2/hub/corrupt/blobs/{digest}"));
        Assert.Equal(2, served);
    }

    [Fact]
    public async Task Content_stored_for_another_repository_is_linked_only_where_the_upstream_holds_it()
    {
        var secret = TestContent.NewBlob(1000);
        using var root = new TemporaryDirectory();
        await using var service = new BlobServiceFactory(Settings(root.Path, upstream.Address));
        using var client = service.CreateClient();
        var digest = await client.PushBlobAsync("private/app", secret);

        using var probe = await client.GetAsync($"/v2/hub/anything/blobs/{digest}", Token);

        await OciAssert.ErrorAsync(probe, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        Assert.False(Directory.Exists(root.Path + RegistryPaths.LayersDirectory("hub/anything")));

        // Once the upstream repository holds the same bytes, the stored copy is linked, not fetched again.
        await upstream.Distribution.PushBlobAsync("library/anything", secret);
        Assert.Equal(secret, await client.GetByteArrayAsync($"/v2/hub/anything/blobs/{digest}", Token));
    }

    [Fact]
    public async Task An_uncached_blob_of_an_unreachable_upstream_answers_503_quickly()
    {
        using var root = new TemporaryDirectory();
        await using var service = new BlobServiceFactory(Settings(root.Path, LoopbackPorts.ClosedAddress()));
        using var client = service.CreateClient();

        using var response = await client.GetAsync($"/v2/hub/gone/blobs/{TestContent.DigestOf(TestContent.NewBlob())}", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
    }

    [Fact]
    public async Task Pushes_and_deletes_of_a_proxied_repository_answer_405_and_other_repositories_push_as_usual()
    {
        using var root = new TemporaryDirectory();
        await using var service = new BlobServiceFactory(Settings(root.Path, upstream.Address));
        using var client = service.CreateClient();
        var blob = TestContent.NewBlob();

        await OciAssert.ErrorAsync(await client.PostAsync("/v2/hub/app/blobs/uploads/", null, Token), HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        await OciAssert.ErrorAsync(await client.DeleteAsync($"/v2/hub/app/blobs/{TestContent.DigestOf(blob)}", Token), HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.StartsWith("sha256:", await client.PushBlobAsync("team/app", blob), StringComparison.Ordinal);
    }

    /// <summary>How a GET ended when it ended cleanly (status and length), or null when the transfer failed.</summary>
    private static async Task<string?> CleanEndAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, Token);
            var body = await response.Content.ReadAsByteArrayAsync(Token);
            return $"{(int)response.StatusCode}, {body.Length} bytes";
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A driver whose writers make nothing durable before the test says the client has hung up.</summary>
    private sealed class CommitAfterHangUpDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
    {
        public TaskCompletionSource ClientGone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken) =>
            new Writer(await Inner.OpenWriterAsync(path, append, cancellationToken), ClientGone.Task);

        private sealed class Writer(IStorageWriter inner, Task clientGone) : IStorageWriter
        {
            public long Size => inner.Size;

            public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => inner.WriteAsync(data, cancellationToken);

            public async Task CommitAsync(CancellationToken cancellationToken)
            {
                await clientGone;
                cancellationToken.ThrowIfCancellationRequested();
                await inner.CommitAsync(cancellationToken);
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
