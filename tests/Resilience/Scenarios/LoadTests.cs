using RegistryCloud.Resilience.Tests.Infrastructure;
using RegistryCloud.Resilience.Tests.Invariants;

namespace RegistryCloud.Resilience.Tests.Scenarios;

/// <summary>
/// 64 clients pushing and pulling at once for <see cref="ResilienceSettings.Duration"/>, no fault
/// injected: every push answered 201 pulls back, the content store is intact, and no request
/// answers 5xx or hangs.
/// </summary>
public sealed class LoadTests(ResilienceAppFixture registry) : ScenarioTest(registry)
{
    private const int Clients = 64;

    [Fact]
    public Task Sixty_four_clients_pushing_and_pulling_lose_nothing() =>
        RunAsync($"load: {Clients} clients for {ResilienceSettings.Duration.TotalSeconds:0} s", Checks.Pullable | Checks.ContentStore | Checks.ServesNormally, async run =>
        {
            var end = DateTime.UtcNow + ResilienceSettings.Duration;
            var failedPushes = 0;
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                var repository = TestContent.NewRepository($"resilience/load-{client}");
                var random = new Random(client);
                for (var i = 0; DateTime.UtcNow < end; i++)
                {
                    if (!await run.PushImageAsync(repository, $"v{i}", layerSize: random.Next(1 << 10, 64 << 10)))
                    {
                        Interlocked.Increment(ref failedPushes);
                    }

                    // And a pull of something this client pushed before.
                    var pick = random.Next(i + 1);
                    var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/v{pick}");
                    request.Headers.Accept.ParseAdd(Oci.MediaTypes.OciImageManifest);
                    using var pulled = await run.SendAsync(request);
                }
            })));

            if (run.ServerErrors > 0)
            {
                run.Violation($"load: {run.ServerErrors} requests answered 5xx with no fault injected");
            }

            if (failedPushes > 0)
            {
                run.Violation($"load: {failedPushes} image pushes kept failing through the client's retries");
            }
        });
}
