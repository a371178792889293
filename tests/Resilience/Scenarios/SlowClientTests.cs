using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using RegistryCloud.Resilience.Tests.Infrastructure;
using RegistryCloud.Resilience.Tests.Invariants;

namespace RegistryCloud.Resilience.Tests.Scenarios;

/// <summary>
/// 200 hostile sockets held open against the gateway — half sending a request's headers and
/// stopping (half-open), half trickling a blob body at one byte a second — while normal requests
/// keep being answered within <see cref="Quick"/>, and the gateway's threads and memory stay bounded.
/// </summary>
public sealed class SlowClientTests(ResilienceAppFixture registry) : ScenarioTest(registry)
{
    private const int HalfOpen = 100;
    private const int Trickling = 100;

    /// <summary>A normal request slower than this while slow clients hold sockets is a hang: far above an idle registry's answer.</summary>
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What 200 idle sockets may cost the gateway at most: a thread per socket, or a buffer of a
    /// megabyte per socket, would exceed these; Kestrel's own per-connection cost is far below.
    /// </summary>
    private const int ExtraThreads = 64;
    private const long ExtraBytes = 200L << 20;

    [Fact]
    public Task Slow_and_half_open_clients_do_not_starve_normal_requests() =>
        RunAsync($"slow clients: {HalfOpen} half-open + {Trickling} at 1 byte/s", Checks.Pullable | Checks.ContentStore | Checks.ServesNormally, async run =>
        {
            var repository = TestContent.NewRepository("resilience/slow");
            Assert.True(await run.PushImageAsync(repository, "v0"), "the probe image did not push");
            var (threadsBefore, bytesBefore) = Registry.Processes.Usage("gateway");
            var sockets = new List<Socket>();
            var stop = new CancellationTokenSource();
            try
            {
                for (var i = 0; i < HalfOpen + Trickling; i++)
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(Registry.Gateway.Host, Registry.Gateway.Port);
                    var head = i < HalfOpen
                        ? $"GET /v2/{repository}/manifests/v0 HTTP/1.1\r\nHost: {Registry.Gateway.Authority}\r\n"
                        : $"POST /v2/{repository}/blobs/uploads/?digest=sha256:{new string('0', 64)} HTTP/1.1\r\nHost: {Registry.Gateway.Authority}\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n";
                    await socket.SendAsync(Encoding.ASCII.GetBytes(head));
                    sockets.Add(socket);
                    run.Fault();
                }

                var trickle = TrickleAsync(sockets[HalfOpen..], stop.Token);
                var end = DateTime.UtcNow + (ResilienceSettings.Duration / 2);
                var slowest = TimeSpan.Zero;
                var peakThreads = threadsBefore;
                var peakBytes = bytesBefore;
                while (DateTime.UtcNow < end)
                {
                    var started = Stopwatch.StartNew();
                    var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/v0");
                    request.Headers.Accept.ParseAdd(Oci.MediaTypes.OciImageManifest);
                    using var response = await run.SendAsync(request, Quick);
                    slowest = started.Elapsed > slowest ? started.Elapsed : slowest;
                    if (response is { IsSuccessStatusCode: false } || response is null)
                    {
                        run.Violation($"slow clients: a normal manifest GET answered {response?.StatusCode.ToString() ?? "no response"} while slow clients held sockets");
                    }

                    var (threads, bytes) = Registry.Processes.Usage("gateway");
                    peakThreads = Math.Max(peakThreads, threads);
                    peakBytes = Math.Max(peakBytes, bytes);
                }

                await stop.CancelAsync();
                await trickle;
                TestContext.Current.TestOutputHelper?.WriteLine(
                    $"slowest normal request {slowest.TotalMilliseconds:0} ms; gateway threads {threadsBefore} -> peak {peakThreads}, resident {bytesBefore >> 20} MiB -> peak {peakBytes >> 20} MiB");
                if (peakThreads > threadsBefore + ExtraThreads)
                {
                    run.Violation($"slow clients: the gateway went from {threadsBefore} to {peakThreads} threads");
                }

                if (peakBytes > bytesBefore + ExtraBytes)
                {
                    run.Violation($"slow clients: the gateway's resident memory went from {bytesBefore >> 20} to {peakBytes >> 20} MiB");
                }
            }
            finally
            {
                await stop.CancelAsync();
                foreach (var socket in sockets)
                {
                    socket.Dispose();
                }

                stop.Dispose();
            }
        });

    /// <summary>One byte a second on each socket, until stopped or the server closes it.</summary>
    private static async Task TrickleAsync(IReadOnlyList<Socket> sockets, CancellationToken stop)
    {
        var open = sockets.ToList();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (open.Count > 0 && await timer.WaitForNextTickAsync(stop))
            {
                foreach (var socket in open.ToList())
                {
                    try
                    {
                        await socket.SendAsync(new byte[] { (byte)'x' }, SocketFlags.None, stop);
                    }
                    catch (SocketException)
                    {
                        // The server closed a client too slow for it: what it should do.
                        open.Remove(socket);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped by the scenario.
        }
    }
}
