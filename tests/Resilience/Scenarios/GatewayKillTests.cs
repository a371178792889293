using RegistryCloud.Resilience.Tests.Infrastructure;
using RegistryCloud.Resilience.Tests.Invariants;

namespace RegistryCloud.Resilience.Tests.Scenarios;

/// <summary>
/// kill -9 of the gateway (one replica: ServiceReplicas runs the gateway once) in the middle of a
/// chunked upload. Clients see connection errors until it is back.
/// </summary>
/// <remarks>
/// The AppHost's supervisor restarts the gateway by itself (after its 1 s back-off); the upload
/// then resumes through it.
/// </remarks>
public sealed class GatewayKillTests(ResilienceAppFixture registry) : ScenarioTest(registry)
{
    private const int LayerSize = 8 << 20;
    private const int ChunkSize = 1 << 20;

    [Fact]
    public Task Killing_the_gateway_in_the_middle_of_a_chunked_upload_loses_nothing_once_it_is_back() =>
        RunAsync("kill -9 gateway mid chunked upload (restarted by the AppHost)", Checks.All, async run =>
        {
            var repository = TestContent.NewRepository("resilience/gateway-kill");
            var config = TestContent.NewBlob(256);
            var layer = TestContent.NewBlob(LayerSize);
            Assert.True(await run.PushBlobAsync(repository, config), "the config did not push before the fault");
            var location = await run.StartUploadAsync(repository) ?? throw new InvalidOperationException("no upload session");
            location = await run.PatchAsync(location, RegistryClient.Body(layer[..ChunkSize]), 0, ChunkSize)
                ?? throw new InvalidOperationException("the first chunk was refused before the fault");
            var held = HeldBody.Octets(layer[ChunkSize..(ChunkSize + (ChunkSize / 2))], layer[(ChunkSize + (ChunkSize / 2))..(2 * ChunkSize)]);
            var patch = run.PatchAsync(location, held, ChunkSize, ChunkSize);
            await Registry.Processes.KillAsync("gateway");
            run.Fault();
            try
            {
                held.Release();
                await patch;
            }
            finally
            {
                await Registry.Processes.RestartedAsync("gateway");
            }

            Assert.True(await run.ResumeUploadAsync(repository, location, layer, ChunkSize), "the interrupted upload did not finish once the gateway was back");
            Assert.True(await run.PushManifestAsync(repository, "v1", RegistryClient.Manifest(config, layer)), "the manifest did not push once the gateway was back");
        });
}
