using System.Net;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.NotifierService.Tests.Producers;

/// <summary>
/// Redis stopped, and paused (SIGSTOP: connections hang, the worst case), while images are pushed
/// and pulled: pulls are served without waiting on Redis, a push whose event cannot be stored is
/// answered 503 <c>UNAVAILABLE</c> within the client's timeout, and once Redis is back everything
/// works again without a restart, down to the webhook receiving the next push's event.
/// </summary>
public sealed class RedisDownTests : IAsyncLifetime
{
    /// <summary>A pull's bound: well under the Redis command timeout, so a pull that waited on Redis fails it.</summary>
    private static readonly TimeSpan PullBound = TimeSpan.FromSeconds(4);

    /// <summary>A refused change's bound: the command timeout, twice (the client looks at timeouts once a second), and some.</summary>
    private static readonly TimeSpan ChangeBound = RedisDownRegistry.CommandTimeout * 2 + TimeSpan.FromSeconds(3);

    private RedisDownRegistry _registry = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _registry = await RedisDownRegistry.StartAsync();

    public async ValueTask DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task While_Redis_is_stopped_pulls_are_served_a_push_is_refused_with_UNAVAILABLE_before_anything_is_stored_and_after_its_restart_a_push_is_delivered()
    {
        var repository = TestContent.NewRepository();
        var (manifest, layer) = await PushImageAsync(repository, "before");

        await _registry.Redis.StopAsync();

        await AssertPullsServedAsync(repository, "before", manifest, layer);
        using (var refused = await RedisDownRegistry.WithinAsync(ChangeBound, "a manifest PUT", token => _registry.PutManifestAsync(repository, "during", manifest, token)))
        {
            await AssertUnavailableAsync(refused);
        }

        using (var tag = await _registry.Manifests.SendAsync(HttpMethod.Head, $"/v2/{repository}/manifests/during"))
        {
            // Refused before anything changed: the client's belief (not stored) is the truth.
            await OciAssert.StatusAsync(tag, HttpStatusCode.NotFound);
        }

        var blob = TestContent.NewBlob(50);
        using (var refused = await RedisDownRegistry.WithinAsync(ChangeBound, "a blob push", _ => _registry.Blobs.PostBlobAsync(repository, blob)))
        {
            await AssertUnavailableAsync(refused);
        }

        using (var head = await _registry.Blobs.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{TestContent.DigestOf(blob)}"))
        {
            await OciAssert.StatusAsync(head, HttpStatusCode.NotFound);
        }

        await _registry.Redis.RestartAsync();

        await _registry.PutManifestUntilCreatedAsync(repository, "after", manifest);
        await _registry.WaitForPushEventAsync(repository, "after");
        Assert.DoesNotContain("during", _registry.PushedTags(repository));
    }

    [Fact]
    public async Task While_Redis_is_paused_pulls_are_served_a_push_is_answered_UNAVAILABLE_within_the_timeout_and_after_it_resumes_a_push_is_delivered()
    {
        var repository = TestContent.NewRepository();
        var (manifest, layer) = await PushImageAsync(repository, "before");

        _registry.Redis.Pause();

        await AssertPullsServedAsync(repository, "before", manifest, layer);
        using (var refused = await RedisDownRegistry.WithinAsync(ChangeBound, "a manifest PUT", token => _registry.PutManifestAsync(repository, "during", manifest, token)))
        {
            await AssertUnavailableAsync(refused);
        }

        // The pulls still answer once the services have run into the pause.
        await AssertPullsServedAsync(repository, "before", manifest, layer);

        await _registry.Redis.ResumeAsync();

        await _registry.PutManifestUntilCreatedAsync(repository, "after", manifest);
        await _registry.WaitForPushEventAsync(repository, "after");
    }

    /// <summary>Pushes an image under <paramref name="tag"/> and waits for its event: the whole path works before the fault.</summary>
    private async Task<(byte[] Manifest, byte[] Layer)> PushImageAsync(string repository, string tag)
    {
        var manifest = await _registry.PushBlobsOfNewImageAsync(repository);
        using (var put = await _registry.PutManifestAsync(repository, tag, manifest, Token))
        {
            await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        }

        await _registry.WaitForPushEventAsync(repository, tag);
        var layer = System.Text.Json.Nodes.JsonNode.Parse(manifest)!["layers"]![0]!["digest"]!.GetValue<string>();
        return (manifest, await _registry.Blobs.GetBlobAsync(repository, layer, Token));
    }

    private async Task AssertPullsServedAsync(string repository, string tag, byte[] manifest, byte[] layer)
    {
        using (var pulled = await RedisDownRegistry.WithinAsync(PullBound, "a manifest GET", token => _registry.Manifests.GetAsync($"/v2/{repository}/manifests/{tag}", token)))
        {
            await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
            Assert.Equal(manifest, await pulled.Content.ReadAsByteArrayAsync(Token));
        }

        var digest = TestContent.DigestOf(layer);
        using (var head = await RedisDownRegistry.WithinAsync(PullBound, "a blob HEAD", token => _registry.Blobs.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"), token)))
        {
            await OciAssert.StatusAsync(head, HttpStatusCode.OK);
        }

        using (var pulled = await RedisDownRegistry.WithinAsync(PullBound, "a blob GET", token => _registry.Blobs.GetAsync($"/v2/{repository}/blobs/{digest}", token)))
        {
            await OciAssert.StatusAsync(pulled, HttpStatusCode.OK);
            Assert.Equal(layer, await pulled.Content.ReadAsByteArrayAsync(Token));
        }
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        await OciAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.Contains("Redis", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }
}
