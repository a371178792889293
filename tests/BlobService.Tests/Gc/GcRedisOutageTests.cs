using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.BlobService.Gc;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Configuration;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Metrics;
using StackExchange.Redis;

namespace RegistryCloud.BlobService.Tests.Gc;

/// <summary>
/// The collector's Redis (its run lease, the writers' records) stopped or paused: a run fails
/// cleanly and the next one goes through once Redis answers, with no restart; a lease that cannot
/// be renewed is given up; a mount that cannot record what it relies on is refused with 503.
/// </summary>
public sealed class GcRedisOutageTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _directory = new();
    private RedisServer _redis = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartPersistentAsync(_directory.Path);

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task While_Redis_is_paused_collections_fail_cleanly_and_one_completes_once_it_answers_again()
    {
        await using var service = new CollectingBlobService(_redis.ConnectionString);
        using var runs = new MeasurementRecorder(service.Services.GetRequiredService<IMeterFactory>(), "registry.gc.runs");
        using var client = service.CreateRegistryClient();
        await Poll.UntilAsync(() => Runs(runs, "ok") > 0, "no collection completed before the pause");

        _redis.Pause();
        await Poll.UntilAsync(() => Runs(runs, "failed") > 0, "no collection failed while Redis was paused", TimeSpan.FromSeconds(30));
        var completedBefore = Runs(runs, "ok");
        await _redis.ResumeAsync();

        await Poll.UntilAsync(() => Runs(runs, "ok") > completedBefore, "no collection completed after Redis answered again", TimeSpan.FromSeconds(30));
        // The service lived through it.
        await client.PushBlobAsync(TestContent.NewRepository(), TestContent.NewBlob());
    }

    [Fact]
    public async Task A_run_lease_whose_renewal_Redis_does_not_answer_is_reported_lost()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = _redis.AdminOptions();
        options.AsyncTimeout = 500;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var coordinator = new RedisGcCoordinator(connection, time);
        await using var lease = await coordinator.TryAcquireRunAsync(GcJobs.Collect, Token);
        Assert.NotNull(lease);

        _redis.Pause();
        time.Advance(RedisGcCoordinator.LeaseTime / 3);

        await Poll.UntilAsync(() => lease.Lost.IsCancellationRequested, "the lease was kept though its renewal was never answered");
        await _redis.ResumeAsync();
    }

    [Fact]
    public async Task While_Redis_is_stopped_a_mount_that_cannot_record_its_blob_for_the_collector_answers_UNAVAILABLE()
    {
        await using var service = new CollectingBlobService(_redis.ConnectionString, interval: "24h");
        using var client = service.CreateRegistryClient();
        var source = TestContent.NewRepository();
        var digest = await client.PushBlobAsync(source, TestContent.NewBlob());

        await _redis.StopAsync();

        var target = TestContent.NewRepository();
        using (var mounted = await client.PostAsync($"/v2/{target}/blobs/uploads/?mount={digest}&from={source}", content: null, Token))
        {
            await OciAssert.ErrorAsync(mounted, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
            Assert.Contains("Redis", await mounted.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        }

        using var head = await client.SendAsync(HttpMethod.Head, $"/v2/{target}/blobs/{digest}");
        await OciAssert.StatusAsync(head, HttpStatusCode.NotFound);
    }

    private static double Runs(MeasurementRecorder runs, string outcome) => runs.Sum("registry.gc.runs", ("registry.gc.outcome", outcome));

    /// <summary>BlobService with the collector on, coordinated through Redis, whose commands time out after a second.</summary>
    private sealed class CollectingBlobService(string redis, string interval = "1s") : BlobServiceFactory(new Dictionary<string, string>
    {
        [RegistryStorageOptions.DriverKey] = "inmemory",
        ["ConnectionStrings:redis"] = redis,
        ["REGISTRY_REDIS_ADDR"] = redis,
        ["REGISTRY_REDIS_READTIMEOUT"] = "1s",
        ["REGISTRY_GC_ENABLED"] = "true",
        ["REGISTRY_GC_INTERVAL"] = interval,
    });
}
