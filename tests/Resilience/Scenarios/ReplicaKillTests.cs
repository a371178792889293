using RegistryCloud.Resilience.Tests.Infrastructure;
using RegistryCloud.Resilience.Tests.Invariants;
using RegistryCloud.Tests.AppHostTesting;

namespace RegistryCloud.Resilience.Tests.Scenarios;

/// <summary>
/// kill -9 of one replica of a service while a request is running on it: the client's retry
/// lands on the other replica, and nothing answered 201 is lost. The AppHost's supervisor then
/// starts the killed replica again by itself (the fault ends without a hand on it).
/// </summary>
public sealed class ReplicaKillTests(ResilienceAppFixture registry) : ScenarioTest(registry)
{
    private const int LayerSize = 16 << 20;
    private const int ChunkSize = 2 << 20;

    [Fact]
    public Task Killing_a_BlobService_replica_in_the_middle_of_a_chunked_upload_loses_nothing() =>
        RunAsync("kill -9 BlobService replica mid chunked upload", Checks.All, async run =>
        {
            var repository = TestContent.NewRepository("resilience/blob-kill");
            var config = TestContent.NewBlob(256);
            var layer = TestContent.NewBlob(LayerSize);
            Assert.True(await run.PushBlobAsync(repository, config), "the config did not push before the fault");
            var location = await run.StartUploadAsync(repository) ?? throw new InvalidOperationException("no upload session");
            var uploadId = UploadId(location);
            const int Sent = 3;
            for (var chunk = 0; chunk < Sent; chunk++)
            {
                location = await run.PatchAsync(location, RegistryClient.Body(layer[(chunk * ChunkSize)..((chunk + 1) * ChunkSize)]), chunk * ChunkSize, ChunkSize)
                    ?? throw new InvalidOperationException($"chunk {chunk} was refused before the fault");
            }

            // The fourth chunk: half of it sent, the rest held while the replica receiving it dies.
            var replicas = ResilienceAppFixture.ReplicasOf("blobservice");
            await using var log = ReplicaRequestLog.Watch(Registry.App, replicas, ReplicaRequestLog.RequestStarting);
            var before = await log.SettleAsync(uploadId, counts => counts.Values.Sum() >= Sent, TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
            var chunkBytes = layer[(Sent * ChunkSize)..((Sent + 1) * ChunkSize)];
            var held = HeldBody.Octets(chunkBytes[..(ChunkSize / 2)], chunkBytes[(ChunkSize / 2)..]);
            var patch = run.PatchAsync(location, held, Sent * ChunkSize, ChunkSize);
            var victim = await LandedOnAsync(log, uploadId, before);
            await Registry.Processes.KillAsync(victim);
            run.Fault();
            try
            {
                held.Release();
                var next = await patch;

                // The other replica carries on from what the session holds (or a fresh session).
                Assert.True(await run.ResumeUploadAsync(repository, next ?? location, layer, ChunkSize), "the interrupted upload did not finish on the surviving replica");
                Assert.True(await run.PushManifestAsync(repository, "v1", RegistryClient.Manifest(config, layer)), "the manifest did not push while a replica was down");
            }
            finally
            {
                // The AppHost restarts the killed replica by itself (invariant 5), so the next scenario starts whole.
                await Registry.Processes.RestartedAsync(victim);
            }
        });

    [Fact]
    public Task Killing_a_ManifestService_replica_during_manifest_puts_loses_nothing() =>
        RunAsync("kill -9 ManifestService replica mid manifest PUT", Checks.All, async run =>
        {
            var repository = TestContent.NewRepository("resilience/manifest-kill");
            for (var i = 0; i < 3; i++)
            {
                Assert.True(await run.PushImageAsync(repository, $"before-{i}"), $"image {i} did not push before the fault");
            }

            var config = TestContent.NewBlob(256);
            var layer = TestContent.NewBlob(4096);
            Assert.True(await run.PushBlobAsync(repository, config) && await run.PushBlobAsync(repository, layer), "the held image's blobs did not push");
            var manifest = RegistryClient.Manifest(config, layer);
            var replicas = ResilienceAppFixture.ReplicasOf("manifestservice");
            await using var log = ReplicaRequestLog.Watch(Registry.App, replicas, ReplicaRequestLog.RequestStarting);
            const string Marker = "/manifests/held";
            var before = log.Count(Marker);
            var held = HeldBody.Octets(manifest[..(manifest.Length / 2)], manifest[(manifest.Length / 2)..]);
            held.Headers.ContentType = new(Oci.MediaTypes.OciImageManifest);
            var put = run.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/v2/{repository}/manifests/held") { Content = held });
            var victim = await LandedOnAsync(log, Marker, before);
            await Registry.Processes.KillAsync(victim);
            run.Fault();
            try
            {
                held.Release();
                using (var response = await put)
                {
                    // Whatever the interrupted PUT was answered, the retry below is what the client relies on.
                    if (response?.StatusCode == System.Net.HttpStatusCode.Created)
                    {
                        run.Ledger.Manifest(repository, "held", TestContent.DigestOf(manifest), Oci.MediaTypes.OciImageManifest, manifest);
                    }
                }

                Assert.True(await run.PushManifestAsync(repository, "held", manifest), "the interrupted manifest PUT did not succeed on retry");
                for (var i = 0; i < 3; i++)
                {
                    Assert.True(await run.PushImageAsync(repository, $"during-{i}"), $"image {i} did not push while a replica was down");
                }
            }
            finally
            {
                await Registry.Processes.RestartedAsync(victim);
            }
        });

    [Fact]
    public Task Killing_a_BlobService_replica_while_manifests_are_pushed_loses_nothing() =>
        RunAsync("kill -9 BlobService replica during manifest PUTs", Checks.All, async run =>
        {
            // A manifest PUT asks BlobService (gRPC, through either replica) whether its blobs
            // exist and records them for the collector: four clients push images without pause, and
            // one BlobService replica dies under them.
            const int Clients = 4;
            var victim = ResilienceAppFixture.ReplicasOf("blobservice")[^1];
            var pushed = new int[Clients];
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                var repository = TestContent.NewRepository($"resilience/blob-kill-manifests-{client}");
                for (var i = 0; i < 12; i++)
                {
                    Assert.True(await run.PushImageAsync(repository, $"v{i}"), $"client {client}'s image {i} did not push (retried) around the kill");
                    if (Interlocked.Increment(ref pushed[client]) == 3)
                    {
                        await killed.Task;
                    }
                }
            })).ToList();
            await Poll.UntilAsync(() => pushed.All(n => n >= 3), () => $"the clients pushed [{string.Join(", ", pushed)}] before the kill", TimeSpan.FromSeconds(60));
            await Registry.Processes.KillAsync(victim);
            run.Fault();
            killed.TrySetResult();
            try
            {
                await Task.WhenAll(clients);
            }
            finally
            {
                await Registry.Processes.RestartedAsync(victim);
            }
        });

    /// <summary>The upload's id, the last segment of its location's path.</summary>
    private static string UploadId(string location)
    {
        var path = location.Split('?')[0].TrimEnd('/');
        return path[(path.LastIndexOf('/') + 1)..];
    }

    /// <summary>The replica that logged the start of one more request matching <paramref name="marker"/> than before.</summary>
    private static async Task<string> LandedOnAsync(ReplicaRequestLog log, string marker, IReadOnlyDictionary<string, int> before)
    {
        var counts = await Poll.UntilAsync(
            () => Task.FromResult(log.Count(marker)),
            counts => counts.Any(pair => pair.Value > before.GetValueOrDefault(pair.Key)),
            counts => $"no replica logged the start of the held request ({marker}): {string.Join(", ", counts.Select(p => $"{p.Key}={p.Value}"))}",
            TimeSpan.FromSeconds(30));
        return counts.First(pair => pair.Value > before.GetValueOrDefault(pair.Key)).Key;
    }
}
