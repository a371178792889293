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
                await GatewayIsBackAsync();
            }

            Assert.True(await run.ResumeUploadAsync(repository, location, layer, ChunkSize), "the interrupted upload did not finish once the gateway was back");
            Assert.True(await run.PushManifestAsync(repository, "v1", RegistryClient.Manifest(config, layer)), "the manifest did not push once the gateway was back");
        });

    [Fact]
    public Task Killing_the_gateway_in_the_middle_of_a_manifest_put_loses_nothing_once_it_is_back() =>
        RunAsync("kill -9 gateway mid manifest PUT (restarted by the AppHost)", Checks.All, async run =>
        {
            var repository = TestContent.NewRepository("resilience/gateway-kill-manifest");
            Assert.True(await run.PushImageAsync(repository, "before"), "the first image did not push");
            var config = TestContent.NewBlob(256);
            var layer = TestContent.NewBlob(4096);
            Assert.True(await run.PushBlobAsync(repository, config) && await run.PushBlobAsync(repository, layer), "the held image's blobs did not push");
            var manifest = RegistryClient.Manifest(config, layer);
            var held = HeldBody.Octets(manifest[..(manifest.Length / 2)], manifest[(manifest.Length / 2)..]);
            held.Headers.ContentType = new(Oci.MediaTypes.OciImageManifest);
            var put = run.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/v2/{repository}/manifests/held") { Content = held });
            await Registry.Processes.KillAsync("gateway");
            run.Fault();
            try
            {
                held.Release();
                using var response = await put;
                if (response?.StatusCode == System.Net.HttpStatusCode.Created)
                {
                    run.Ledger.Manifest(repository, "held", TestContent.DigestOf(manifest), Oci.MediaTypes.OciImageManifest, manifest);
                }
            }
            finally
            {
                await GatewayIsBackAsync();
            }

            Assert.True(await run.PushManifestAsync(repository, "held", manifest), "the interrupted manifest PUT did not succeed once the gateway was back");
            Assert.True(await run.PushImageAsync(repository, "after"), "an image did not push once the gateway was back");
        });

    /// <summary>
    /// The AppHost restarted the gateway and it answers again. The snapshot can say Healthy for
    /// the new process before it listens (the health of the one before), so the door is asked.
    /// </summary>
    private async Task GatewayIsBackAsync()
    {
        await Registry.Processes.RestartedAsync("gateway");
        using var client = new HttpClient { BaseAddress = Registry.Gateway, Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    using var response = await client.GetAsync("/v2/", TestContext.Current.CancellationToken);
                    return (int?)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return null;
                }
                catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
                {
                    return null;
                }
            },
            status => status is not null,
            _ => "the restarted gateway does not answer GET /v2/",
            TimeSpan.FromSeconds(60));
    }
}
