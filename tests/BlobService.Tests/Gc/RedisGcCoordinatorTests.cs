using Microsoft.Extensions.Time.Testing;
using RegistryCloud.BlobService.Gc;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Gc;

/// <summary>The coordinator replicas share through a real redis-server: records, pruning, and one lease.</summary>
public sealed class RedisGcCoordinatorTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private static readonly Digest Layer = Digest.Compute("layer"u8);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        await redis.Database.KeyDeleteAsync([RedisGcCoordinator.UsesKey, RedisGcCoordinator.LeaseKey(GcJobs.Collect)]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_recorded_use_protects_its_digest_in_its_repository_and_anywhere_from_its_time_on()
    {
        var coordinator = new RedisGcCoordinator(redis.Connection, _time);
        var before = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(5));

        await coordinator.RecordUseAsync("team/app", [Layer], Token);

        Assert.True(await coordinator.WasUsedSinceAsync("team/app", Layer, before, Token));
        Assert.True(await coordinator.WasUsedSinceAsync(null, Layer, before, Token));
        Assert.False(await coordinator.WasUsedSinceAsync("team/other", Layer, before, Token));
        Assert.False(await coordinator.WasUsedSinceAsync("team/app", Layer, _time.GetUtcNow() + TimeSpan.FromSeconds(1), Token));
    }

    [Fact]
    public async Task Pruning_forgets_records_older_than_its_cutoff_and_keeps_newer_ones()
    {
        var coordinator = new RedisGcCoordinator(redis.Connection, _time);
        var old = Digest.Compute("old"u8);
        await coordinator.RecordUseAsync("app", [old], Token);
        _time.Advance(TimeSpan.FromMinutes(30));
        await coordinator.RecordUseAsync("app", [Layer], Token);

        await coordinator.PruneAsync(_time.GetUtcNow() - TimeSpan.FromMinutes(10), Token);

        Assert.False(await coordinator.WasUsedSinceAsync("app", old, DateTimeOffset.MinValue, Token));
        Assert.True(await coordinator.WasUsedSinceAsync("app", Layer, DateTimeOffset.MinValue, Token));
    }

    [Fact]
    public async Task Two_replicas_never_hold_the_run_at_once_and_a_released_run_can_be_taken_again()
    {
        var one = new RedisGcCoordinator(redis.Connection, _time);
        var two = new RedisGcCoordinator(redis.Connection, _time);

        var held = await one.TryAcquireRunAsync(GcJobs.Collect, Token);
        Assert.NotNull(held);
        Assert.Null(await two.TryAcquireRunAsync(GcJobs.Collect, Token));

        await held.DisposeAsync();
        await using var again = await two.TryAcquireRunAsync(GcJobs.Collect, Token);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task A_lease_another_holder_took_over_is_reported_lost_at_its_next_renewal()
    {
        var coordinator = new RedisGcCoordinator(redis.Connection, _time);
        await using var lease = await coordinator.TryAcquireRunAsync(GcJobs.Collect, Token);
        Assert.NotNull(lease);

        // Expired in Redis (the holder stalled) and taken by another replica.
        await redis.Database.StringSetAsync(RedisGcCoordinator.LeaseKey(GcJobs.Collect), "another replica");
        // Each look that finds it still held moves the clock to the next renewal.
        await Poll.UntilAsync(() => lease.Lost.IsCancellationRequested || AdvanceToRenewal(), "the lost lease was not noticed", TimeSpan.FromSeconds(30));

        Assert.Equal("another replica", (string?)await redis.Database.StringGetAsync(RedisGcCoordinator.LeaseKey(GcJobs.Collect)));
    }

    [Fact]
    public async Task A_held_lease_is_renewed_so_it_outlives_its_first_expiry()
    {
        var coordinator = new RedisGcCoordinator(redis.Connection, _time);
        await using var lease = await coordinator.TryAcquireRunAsync(GcJobs.Collect, Token);
        Assert.NotNull(lease);
        await redis.Database.KeyExpireAsync(RedisGcCoordinator.LeaseKey(GcJobs.Collect), TimeSpan.FromSeconds(5));

        await Poll.UntilAsync(
            async () => (await redis.Database.KeyTimeToLiveAsync(RedisGcCoordinator.LeaseKey(GcJobs.Collect))) is { } ttl && ttl >= TimeSpan.FromSeconds(30) || AdvanceToRenewal(),
            "the lease was not renewed",
            TimeSpan.FromSeconds(30));

        Assert.False(lease.Lost.IsCancellationRequested);
    }

    /// <summary>Moves the fake clock to the lease's next renewal; false, so a poll looks again.</summary>
    private bool AdvanceToRenewal()
    {
        _time.Advance(RedisGcCoordinator.LeaseTime / 3);
        return false;
    }
}
