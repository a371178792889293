using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Metrics;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary>
/// The running hash of an upload is saved with the session, so a request on any replica (or after
/// a request broke off, or on a session Distribution began) hashes only the bytes it adds: no
/// stored byte of the session is read back (issue 15, defect 7).
/// </summary>
public sealed class HashStateResumeTests : IDisposable
{
    private const string StorageActions = "registry.storage.action.duration";
    private const string Rehashed = "registry.uploads.rehashed_bytes";

    private readonly TemporaryDirectory _root = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Chunks_on_another_replica_resume_the_saved_hash_without_reading_stored_bytes()
    {
        await using var first = new FileSystemBlobService(_root.Path);
        await using var second = new FileSystemBlobService(_root.Path);
        using var one = first.CreateRegistryClient();
        using var two = second.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(3 * 1024 * 1024 + 17);
        var digest = TestContent.DigestOf(content);
        var location = await one.StartUploadAsync(repository);
        using (var chunk = await one.PatchChunkAsync(location, content[..2_000_001], 0))
        {
            await OciAssert.StatusAsync(chunk, HttpStatusCode.Accepted);
        }

        using var recorder = Record(second);
        using (var chunk = await two.PatchChunkAsync(location, content[2_000_001..3_000_000], 2_000_001))
        {
            await OciAssert.StatusAsync(chunk, HttpStatusCode.Accepted);
        }

        using (var put = await two.PutAsync(RegistryHttp.WithDigest(location, digest), RegistryHttp.Octets(content[3_000_000..]), Token))
        {
            await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        }

        Assert.Equal(0, OpenReads(recorder));
        Assert.Equal(0, recorder.Sum(Rehashed));
        Assert.Equal(content, await one.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
    }

    [Fact]
    public async Task A_PATCH_that_broke_off_is_resumed_from_what_arrived_without_reading_it_back()
    {
        await using var service = new FileSystemBlobService(_root.Path);
        using var client = service.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(2 * 1024 * 1024);
        var digest = TestContent.DigestOf(content);
        var location = await client.StartUploadAsync(repository);
        using var recorder = Record(service);

        // The client sends part of a chunk, then its connection drops.
        using var dropped = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var patch = client.PatchAsync(location, HeldBody.Octets(content[..1_500_000], content[1_500_000..]), dropped.Token);
        await UploadData.WaitForAsync(_root.Path, repository, location, 1);
        await dropped.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patch);
        var received = await WaitForSettledOffsetAsync(client, location);
        Assert.InRange(received, 1, 1_500_000);

        using (var put = await client.PutAsync(RegistryHttp.WithDigest(location, digest), RegistryHttp.Octets(content[(int)received..]), Token))
        {
            await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        }

        Assert.Equal(0, OpenReads(recorder));
        Assert.Equal(content, await client.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
    }

    [Fact]
    public async Task A_session_Distribution_2_8_began_is_finished_from_its_saved_hash_state()
    {
        var repository = TestContent.NewRepository("dist");
        var content = TestContent.NewBlob(1_000_000);
        var digest = TestContent.DigestOf(content);
        string path;
        await using (var distribution = await DistributionRegistry.StartAsync(_root.Path))
        {
            using var start = await distribution.Client.PostAsync($"/v2/{repository}/blobs/uploads/", content: null, Token);
            await OciAssert.StatusAsync(start, HttpStatusCode.Accepted);
            using var patch = await distribution.Client.PatchAsync(start.Headers.Location!, RegistryHttp.Octets(content[..600_001]), Token);
            await OciAssert.StatusAsync(patch, HttpStatusCode.Accepted);
            path = patch.Headers.Location!.AbsolutePath;
        }

        await using var service = new FileSystemBlobService(_root.Path);
        using var client = service.CreateRegistryClient();
        using var recorder = Record(service);
        using (var put = await client.PutAsync(RegistryHttp.WithDigest(path, digest), RegistryHttp.Octets(content[600_001..]), Token))
        {
            await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        }

        Assert.Equal(0, OpenReads(recorder));
        Assert.Equal(content, await client.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
    }

    private static MeasurementRecorder Record(FileSystemBlobService service) =>
        new(service.Services.GetRequiredService<IMeterFactory>(), StorageActions, Rehashed);

    private static double OpenReads(MeasurementRecorder recorder) =>
        recorder.Of(StorageActions).Count(m => m.Tags["registry.storage.action"] == "open_read");

    /// <summary>The session's offset once the broken request has ended on the server and released the session.</summary>
    private static async Task<long> WaitForSettledOffsetAsync(HttpClient client, string location)
    {
        // An empty PATCH takes the session's lock: it answers 202 only once the broken one let go.
        var (status, range) = await Poll.UntilAsync(
            async () =>
            {
                using var probe = await client.PatchAsync(location, RegistryHttp.Octets([]), Token);
                return (probe.StatusCode, probe.Header("Range"));
            },
            answer => answer.StatusCode == HttpStatusCode.Accepted,
            answer => $"the session stayed busy: {(int)answer.StatusCode}",
            TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Accepted, status);
        return long.Parse(range![(range!.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture) + 1;
    }
}
