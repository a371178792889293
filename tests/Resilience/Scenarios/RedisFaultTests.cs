using System.Diagnostics;
using System.Globalization;
using System.Net;
using RegistryCloud.Oci;
using RegistryCloud.Resilience.Tests.Infrastructure;
using RegistryCloud.Resilience.Tests.Invariants;

namespace RegistryCloud.Resilience.Tests.Scenarios;

/// <summary>
/// The AppHost's Redis paused (<c>SIGSTOP</c>: connections stay open, nothing is answered — the
/// worst case) and then killed (<c>kill -9</c>, restarted by the AppHost from its append-only
/// file) while images are pushed and pulled: pulls keep being served within a bound, a push
/// either succeeds or is refused with an OCI error (never a hang, never stored behind a refusal
/// the ledger relies on), and once Redis is back every push succeeds and every accepted event is
/// delivered in order (docs/design.md, "Redis down, paused or restarting").
/// </summary>
public sealed class RedisFaultTests(ResilienceAppFixture registry) : ScenarioTest(registry)
{
    private const string Redis = "redis";

    /// <summary>A pull may wait 500 ms on Redis per call (cache, pull event); well above that, below a hang.</summary>
    private static readonly TimeSpan PullBound = TimeSpan.FromSeconds(10);

    [Fact]
    public Task Redis_paused_then_killed_loses_nothing_and_pulls_keep_working() =>
        RunAsync("Redis paused (SIGSTOP), then kill -9 (restarted by the AppHost)", Checks.All, async run =>
        {
            var repository = TestContent.NewRepository("resilience/redis");
            Assert.True(await run.PushImageAsync(repository, "v0"), "the first image did not push");
            var config = TestContent.NewBlob(128);
            var layer = TestContent.NewBlob(4096);
            Assert.True(await run.PushBlobAsync(repository, config) && await run.PushBlobAsync(repository, layer), "the held image's blobs did not push");
            var pid = Registry.Processes.ExecutablePid(Redis);

            Signal(pid, "STOP");
            run.Fault();
            try
            {
                await PullsAreServedAsync(run, repository, "v0");

                // One manifest PUT while Redis hangs: whatever it answers, it answers in time (the
                // client's readtimeout, 5 s), and only a 201 goes into the ledger.
                using var put = await run.SendAsync(
                    new HttpRequestMessage(HttpMethod.Put, $"/v2/{repository}/manifests/paused") { Content = RegistryClient.Body(RegistryClient.Manifest(config, layer), MediaTypes.OciImageManifest) },
                    TimeSpan.FromSeconds(20));
                if (put?.StatusCode == HttpStatusCode.Created)
                {
                    var manifest = RegistryClient.Manifest(config, layer);
                    run.Ledger.Manifest(repository, "paused", TestContent.DigestOf(manifest), MediaTypes.OciImageManifest, manifest);
                }
                else if (put is not null)
                {
                    Assert.True(put.StatusCode == HttpStatusCode.ServiceUnavailable, $"a manifest PUT while Redis was paused answered {(int)put.StatusCode}, not 201 or 503");
                    var body = await put.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                    Assert.Contains("UNAVAILABLE", body, StringComparison.Ordinal);
                }
            }
            finally
            {
                Signal(pid, "CONT");
            }

            Assert.True(await run.PushImageAsync(repository, "v1"), "a push did not succeed once Redis was resumed");

            await Registry.Processes.KillAsync(Redis);
            run.Fault();
            await Registry.Processes.RestartedAsync(Redis);
            await PullsAreServedAsync(run, repository, "v1");
            await EveryReplicaTakesChangesAsync(run, repository);
            Assert.True(await run.PushImageAsync(repository, "v2"), "a push did not succeed once the AppHost had restarted Redis");
        });

    /// <summary>The tag's manifest and each blob the ledger holds for the repository answer 200 within <see cref="PullBound"/>.</summary>
    private static async Task PullsAreServedAsync(ScenarioRun run, string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd(MediaTypes.OciImageManifest);
        var started = Stopwatch.GetTimestamp();
        var (status, _, _) = await run.SendForBodyAsync(request, PullBound);
        Assert.True(status == HttpStatusCode.OK, $"GET {repository}:{tag} answered {status?.ToString() ?? "nothing"} while Redis was away");
        foreach (var blob in run.Ledger.Blobs.Where(b => b.Repository == repository).Take(4))
        {
            var (blobStatus, bytes, _) = await run.SendForBodyAsync(new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/blobs/{blob.Digest}"), PullBound);
            Assert.True(blobStatus == HttpStatusCode.OK && TestContent.DigestOf(bytes) == blob.Digest, $"blob {blob.Digest} answered {blobStatus?.ToString() ?? "nothing"} while Redis was away");
        }

        Assert.True(Stopwatch.GetElapsedTime(started) < PullBound * 2, $"pulls took {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s while Redis was away");
    }

    /// <summary>
    /// Each service reconnects by itself, at most 2 s after Redis answers (its retry policy): within
    /// a bound, four manifest PUTs in a row (the gateway alternates the replicas) are taken.
    /// </summary>
    private static async Task EveryReplicaTakesChangesAsync(ScenarioRun run, string repository)
    {
        var config = TestContent.NewBlob(128);
        var layer = TestContent.NewBlob(1024);
        Assert.True(await run.PushBlobAsync(repository, config) && await run.PushBlobAsync(repository, layer), "blobs did not push once Redis was back");
        var manifest = RegistryClient.Manifest(config, layer);
        var inARow = 0;
        var attempt = 0;
        await Poll.UntilAsync(
            async () =>
            {
                var tag = $"recovered-{attempt++}";
                using var put = await run.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/v2/{repository}/manifests/{tag}") { Content = RegistryClient.Body(manifest, MediaTypes.OciImageManifest) });
                if (put?.StatusCode == HttpStatusCode.Created)
                {
                    run.Ledger.Manifest(repository, tag, TestContent.DigestOf(manifest), MediaTypes.OciImageManifest, manifest);
                    inARow++;
                }
                else
                {
                    inARow = 0;
                }

                return inARow;
            },
            count => count >= 4,
            count => $"after {attempt} manifest PUTs only the last {count} were taken: a replica did not reconnect to Redis",
            TimeSpan.FromSeconds(20));
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.True(kill.ExitCode == 0, $"kill -{signal} {pid} failed");
    }
}
