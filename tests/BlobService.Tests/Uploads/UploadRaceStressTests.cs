using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary>
/// Many clients racing PATCH, PUT, DELETE and status requests on the same upload sessions, through
/// two replicas sharing one storage root; afterwards every blob in the content store is re-hashed
/// and every blob answered 201 is pulled: not one may hold bytes other than its digest's. The seed
/// is fixed and printed, so a failing run can be replayed.
/// </summary>
public sealed class UploadRaceStressTests : IDisposable
{
    private const int Seed = 20261206;
    private const int Sessions = 12;
    private const int Workers = 16;
    private const int OperationsPerWorker = 30;

    private readonly TemporaryDirectory _root = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Racing_requests_on_shared_sessions_never_store_a_blob_that_does_not_hash_to_its_digest()
    {
        await using var first = new FileSystemBlobService(_root.Path);
        await using var second = new FileSystemBlobService(_root.Path);
        HttpClient[] clients = [first.CreateRegistryClient(), second.CreateRegistryClient()];
        var random = new Random(Seed);
        var repository = TestContent.NewRepository("race");
        var sessions = new List<Session>();
        for (var i = 0; i < Sessions; i++)
        {
            byte[][] chunks = [RandomBytes(random, 100_000, 900_000), RandomBytes(random, 1, 300_000), RandomBytes(random, 1, 600_000)];
            sessions.Add(new Session(await clients[i % 2].StartUploadAsync(repository), chunks));
        }

        var created = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var own = new Random(Seed + worker + 1);
            for (var i = 0; i < OperationsPerWorker; i++)
            {
                var session = sessions[own.Next(sessions.Count)];
                using var response = await SendAsync(clients[own.Next(2)], session, own);
                statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                Assert.True((int)response.StatusCode < 500, $"seed {Seed}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Token)}");
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    created.Add(response.Header("Docker-Content-Digest")!);
                }
            }
        }, Token)).ToArray();
        await Task.WhenAll(workers);

        var mismatched = await MismatchedBlobsAsync();
        Assert.True(mismatched.Count == 0, $"seed {Seed}: blobs whose bytes hash elsewhere: {string.Join(", ", mismatched)}");
        foreach (var digest in created.Distinct())
        {
            var pulled = await clients[0].GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token);
            Assert.Equal(digest, Digest.Compute(pulled, Digest.Parse(digest).Algorithm).ToString());
        }

        // The race must have been run: requests were refused for overlapping. (Which sessions end
        // committed rather than cancelled depends on the interleaving; a commit after the storm is
        // checked below, on the same storage.)
        Assert.True(statuses.ContainsKey(HttpStatusCode.RequestedRangeNotSatisfiable), $"seed {Seed}: no request overlapped another: {string.Join(", ", statuses)}");

        // After the storm both replicas still take a session begun on one and finished on the other.
        var after = new Session(await clients[0].StartUploadAsync(repository), [RandomBytes(random, 1, 300_000), RandomBytes(random, 1, 300_000)]);
        HttpStatusCode answer;
        var turns = 0;
        do
        {
            using var response = await ResumeAsync(clients[turns % 2], after);
            answer = response.StatusCode;
            Assert.True(answer is HttpStatusCode.Accepted or HttpStatusCode.Created, $"seed {Seed}: resuming answered {(int)answer} {await response.Content.ReadAsStringAsync(Token)}");
        }
        while (answer != HttpStatusCode.Created && ++turns < 10);
        Assert.Equal(HttpStatusCode.Created, answer);
        byte[] expected = [.. after.Chunks.SelectMany(c => c)];
        var pulledAfter = await clients[1].GetByteArrayAsync($"/v2/{repository}/blobs/{TestContent.DigestOf(expected)}", Token);
        Assert.Equal(expected, pulledAfter);
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Session session, Random random)
    {
        var chunk = random.Next(session.Chunks.Length);
        var start = session.Chunks.Take(chunk).Sum(c => (long)c.Length);
        switch (random.Next(28))
        {
            case >= 20:
                // A client resuming as it should: where is the session, then the chunk that follows
                // (or the commit, once all are there). Several do it at once on the same session.
                return await ResumeAsync(client, session);
            case < 8:
                // A chunk at the offset where it belongs; slow enough to overlap others.
                return await client.SendAsync(Request(HttpMethod.Patch, session.Location, new TrickleBody(session.Chunks[chunk]), start), Token);
            case < 10:
                return await client.SendAsync(Request(HttpMethod.Patch, session.Location, new TrickleBody(session.Chunks[chunk]), null), Token);
            case < 15:
                // Commit the first chunks, which may or may not be what the session holds.
                var digest = TestContent.DigestOf([.. session.Chunks.Take(chunk + 1).SelectMany(c => c)]);
                return await client.SendAsync(Request(HttpMethod.Put, RegistryHttp.WithDigest(session.Location, digest), null, null), Token);
            case < 17:
                var whole = TestContent.DigestOf([.. session.Chunks.SelectMany(c => c)]);
                var last = session.Chunks[^1];
                return await client.SendAsync(Request(HttpMethod.Put, RegistryHttp.WithDigest(session.Location, whole), new TrickleBody(last), start: null), Token);
            case < 18:
                return await client.DeleteAsync(session.Location, Token);
            default:
                return await client.GetAsync(session.Location, Token);
        }
    }

    private static async Task<HttpResponseMessage> ResumeAsync(HttpClient client, Session session)
    {
        var status = await client.GetAsync(session.Location, Token);
        if (status.StatusCode != HttpStatusCode.NoContent)
        {
            return status;
        }

        var range = status.Header("Range")!;
        var offset = long.Parse(range[(range.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture) + (range == "0-0" ? 0 : 1);
        status.Dispose();
        long start = 0;
        foreach (var chunk in session.Chunks)
        {
            if (start == offset)
            {
                return await client.SendAsync(Request(HttpMethod.Patch, session.Location, new TrickleBody(chunk), start), Token);
            }

            start += chunk.Length;
        }

        var digest = TestContent.DigestOf([.. session.Chunks.SelectMany(c => c)]);
        return await client.SendAsync(Request(HttpMethod.Put, RegistryHttp.WithDigest(session.Location, digest), null, null), Token);
    }

    private static HttpRequestMessage Request(HttpMethod method, string location, HttpContent? body, long? start)
    {
        var request = new HttpRequestMessage(method, location) { Content = body };
        if (body is not null && start is { } offset && body is TrickleBody trickle)
        {
            body.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + trickle.Length - 1}");
        }

        return request;
    }

    /// <summary>Every blob in the content store whose bytes do not hash to the digest it is stored under.</summary>
    private async Task<List<string>> MismatchedBlobsAsync()
    {
        var mismatched = new List<string>();
        var blobs = Path.Combine(_root.Path + RegistryPaths.BlobsRoot);
        if (!Directory.Exists(blobs))
        {
            return mismatched;
        }

        foreach (var data in Directory.EnumerateFiles(blobs, "data", SearchOption.AllDirectories))
        {
            var directory = Path.GetDirectoryName(data)!;
            var algorithm = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(directory))!);
            var expected = algorithm + ":" + Path.GetFileName(directory);
            await using var stream = File.OpenRead(data);
            var actual = algorithm == Digest.Sha512
                ? "sha512:" + Convert.ToHexStringLower(await SHA512.HashDataAsync(stream, Token))
                : "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, Token));
            if (actual != expected)
            {
                mismatched.Add($"{expected} (holds {actual}, {new FileInfo(data).Length} bytes)");
            }
        }

        return mismatched;
    }

    private static byte[] RandomBytes(Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max)];
        random.NextBytes(bytes);
        return bytes;
    }

    private sealed record Session(string Location, byte[][] Chunks);

    /// <summary>A body sent in 64 KiB pieces with a yield between them, so requests overlap.</summary>
    private sealed class TrickleBody(byte[] content) : HttpContent
    {
        public long Length => content.Length;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < content.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(content.AsMemory(offset, Math.Min(64 * 1024, content.Length - offset)));
                await stream.FlushAsync();
                await Task.Yield();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = content.Length;
            return true;
        }
    }
}
