using System.Text.Json.Nodes;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Notifications;

/// <summary>
/// A <c>docker push</c> through the gateway reaches a webhook as Distribution's events: each blob
/// pushed, then the manifest pushed with its tag, in that order, in the events envelope.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class PushEventsTests(RegistryAppFixture registry)
{
    private const string Repository = "events/docker-push";
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Docker_push_delivers_blob_pushes_then_the_tagged_manifest_push_to_the_webhook()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var docker = await registry.GetDockerAsync();
        using var work = new TemporaryDirectory();
        OciImageLayout.Write(work.Combine("layout"), "events", seed: "push-events");
        var archive = work.Combine("events.tar");
        await Skopeo.CopyAsync($"oci:{work.Combine("layout")}:events", $"docker-archive:{archive}:events:latest", cancellationToken);
        await docker.RunSuccessfullyAsync("load", "-i", archive);
        var remote = $"{registry.GatewayAddress}/{Repository}:latest";
        await docker.RunSuccessfullyAsync("tag", "events:latest", remote);
        await docker.RunSuccessfullyAsync("push", remote);

        var pushed = await registry.Http.GetManifestAsync(Repository, "latest", cancellationToken);
        var events = await registry.Webhook.WaitForAsync(
            Repository,
            received => received.Any(e => IsManifestPush(e, pushed.Digest)),
            DeliveryTimeout,
            cancellationToken);
        var described = string.Join(Environment.NewLine, events.Select(e => e.ToJsonString()));

        var manifestPush = events.FirstOrDefault(e => IsManifestPush(e, pushed.Digest));
        Assert.True(manifestPush is not null, $"no manifest push event for {pushed.Digest} within {DeliveryTimeout}; got:{Environment.NewLine}{described}");
        Assert.Equal("latest", manifestPush["target"]?["tag"]?.GetValue<string>());
        Assert.Equal("PUT", manifestPush["request"]?["method"]?.GetValue<string>());
        Assert.Contains("docker", manifestPush["request"]?["useragent"]?.GetValue<string>() ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrEmpty(manifestPush["id"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(manifestPush["timestamp"]?.GetValue<string>()));

        // Every blob the manifest names was announced as pushed (or mounted) before the manifest.
        var manifestIndex = events.ToList().IndexOf(manifestPush);
        var blobsBefore = events.Take(manifestIndex)
            .Where(e => e["action"]?.GetValue<string>() is "push" or "mount")
            .Select(e => e["target"]?["digest"]?.GetValue<string>())
            .ToHashSet();
        foreach (var blob in pushed.LayerDigests.Append(pushed.ConfigDigest))
        {
            Assert.True(blobsBefore.Contains(blob), $"no push event for blob {blob} before the manifest's; got:{Environment.NewLine}{described}");
        }

        Assert.Contains(registry.Webhook.ContentTypes, type => type.StartsWith("application/vnd.docker.distribution.events.v1+json", StringComparison.Ordinal));
    }

    private static bool IsManifestPush(JsonObject received, string digest) =>
        received["action"]?.GetValue<string>() == "push" && received["target"]?["digest"]?.GetValue<string>() == digest;
}
