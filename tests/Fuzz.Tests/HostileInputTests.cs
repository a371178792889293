using System.Net;
using System.Text;
using CsCheck;
using RegistryCloud.Fuzz.Tests.Infrastructure;
using RegistryCloud.Fuzz.Tests.Properties;
using RegistryCloud.Fuzz.Tests.Requests;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Fuzz.Tests;

/// <summary>
/// Issue 20's hostile input: a seeded barrage of generated requests against the gateway, BlobService
/// and ManifestService in process. Every answer must keep <see cref="ResponseProperties"/> and come
/// within the timeout, no service may log an unhandled error, and afterwards the image pushed before
/// is intact byte for byte and a new push and pull work.
/// </summary>
public sealed class HostileInputTests(RegistryChain registry) : IClassFixture<RegistryChain>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hostile_requests_get_clear_answers_and_leave_the_registry_serving()
    {
        var settings = FuzzSettings.FromEnvironment();
        await PushKnownImagesAsync();

        var run = new FuzzRun(registry, settings);
        if (settings.Replay is { } replay)
        {
            await run.SendAsync(Areas.Any.Generate(PCG.Parse(replay), null, out _), replay);
        }
        else
        {
            var pcg = new PCG(stream: 1, settings.Seed);
            for (var i = 0; i < settings.Requests; i++)
            {
                var state = pcg.State;
                var request = Areas.Any.Generate(pcg, null, out _);
                await run.SendAsync(request, pcg.ToString(state));
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(run.Summary());
        if (Environment.GetEnvironmentVariable("REGISTRYCLOUD_FUZZ_REPORT") is { Length: > 0 } report)
        {
            await File.WriteAllTextAsync(report, run.Summary() + "\n\n" + string.Join("\n\n", run.Violations), Token);
        }

        Assert.True(run.Violations.Count == 0, run.Summary() + "\n\n" + string.Join("\n\n", run.Violations.Take(20)));

        await AssertKnownImagesIntactAsync();
        await AssertPushAndPullWorkAsync();
    }

    private async Task PushKnownImagesAsync()
    {
        using var user = registry.CreateClient();
        using var keeper = registry.CreateClient(RegistryChain.Keeper, RegistryChain.KeeperPassword);
        foreach (var (client, repository) in new[] { (user, KnownContent.Repository), (keeper, KnownContent.Kept) })
        {
            await client.PushBlobAsync(repository, KnownContent.Config);
            await client.PushBlobAsync(repository, KnownContent.Layer);
            using var response = await client.PutAsync(
                $"/v2/{repository}/manifests/{KnownContent.Tag}", RegistryHttp.Typed(KnownContent.Manifest, Oci.MediaTypes.OciImageManifest), Token);
            await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        }
    }

    /// <summary>What only the keeper may change came through byte for byte, by tag and by digest.</summary>
    private async Task AssertKnownImagesIntactAsync()
    {
        using var client = registry.CreateClient();
        foreach (var reference in new[] { KnownContent.Tag, KnownContent.ManifestDigest })
        {
            using var response = await client.GetAsync($"/v2/{KnownContent.Kept}/manifests/{reference}", request =>
                request.Headers.Accept.ParseAdd(Oci.MediaTypes.OciImageManifest));
            await OciAssert.StatusAsync(response, HttpStatusCode.OK);
            Assert.Equal(KnownContent.Manifest, await response.Content.ReadAsByteArrayAsync(Token));
        }

        Assert.Equal(KnownContent.Config, await client.GetBlobAsync(KnownContent.Kept, KnownContent.ConfigDigest, Token));
        Assert.Equal(KnownContent.Layer, await client.GetBlobAsync(KnownContent.Kept, KnownContent.LayerDigest, Token));
    }

    private async Task AssertPushAndPullWorkAsync()
    {
        using var client = registry.CreateClient();
        var repository = TestContent.NewRepository("after");
        var layer = TestContent.NewBlob(10_000);
        var layerDigest = await client.PushBlobAsync(repository, layer);
        var configDigest = await client.PushBlobAsync(repository, KnownContent.Config);
        var manifest = Encoding.UTF8.GetBytes(KnownContent.ImageManifest(configDigest, KnownContent.Config.Length, layerDigest, layer.Length));
        using (var response = await client.PutAsync($"/v2/{repository}/manifests/after", RegistryHttp.Typed(manifest, Oci.MediaTypes.OciImageManifest), Token))
        {
            await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        }

        using (var response = await client.GetAsync($"/v2/{repository}/manifests/after", request => request.Headers.Accept.ParseAdd(Oci.MediaTypes.OciImageManifest)))
        {
            await OciAssert.StatusAsync(response, HttpStatusCode.OK);
            Assert.Equal(manifest, await response.Content.ReadAsByteArrayAsync(Token));
        }

        Assert.Equal(layer, await client.GetBlobAsync(repository, layerDigest, Token));
    }
}
