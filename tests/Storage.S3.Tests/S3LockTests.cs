using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Storage.S3.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.S3.Tests;

/// <summary>
/// Locks across replicas: driver instances that share a bucket, as BlobService replicas do. They
/// run on s3rver with the conditional writes AWS S3 has (If-None-Match / If-Match on PutObject and
/// DeleteObject) added by tests/servers/s3rver.js, since s3rver 3.7.1 ignores those headers.
/// </summary>
[Collection(S3AwsFeaturesCollection.Name)]
public sealed class S3LockTests(S3rverWithAwsFeatures server) : IDisposable
{
    private const string Lock = "/uploads/u/lock";

    private readonly S3StorageOptions _options = server.NewOptions();
    private readonly List<S3StorageDriver> _drivers = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_server_honours_conditional_writes()
    {
        Assert.True(await Replica().HonoursConditionalWritesAsync(Token));
    }

    [Fact]
    public async Task A_lock_held_by_one_replica_is_busy_for_another_until_released()
    {
        var one = Replica();
        var two = Replica();
        await one.PutContentAsync("/uploads/u/data", "x"u8.ToArray(), Token);

        using (var held = await one.TryLockAsync(Lock, Token))
        {
            Assert.Equal(StorageLockStatus.Held, held.Status);
            using var busy = await two.TryLockAsync(Lock, Token);
            Assert.Equal(StorageLockStatus.Busy, busy.Status);
        }

        using var after = await two.TryLockAsync(Lock, Token);
        Assert.Equal(StorageLockStatus.Held, after.Status);
    }

    [Fact]
    public async Task Of_callers_on_four_replicas_racing_for_a_lock_exactly_one_holds_it()
    {
        var replicas = Enumerable.Range(0, 4).Select(_ => Replica()).ToList();
        await replicas[0].PutContentAsync("/uploads/u/data", "x"u8.ToArray(), Token);
        using var start = new Barrier(12);

        var locks = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
        {
            start.SignalAndWait(Token);
            return replicas[i % 4].TryLockAsync(Lock, Token);
        }, Token)));

        Assert.Single(locks, held => held.IsHeld);
        foreach (var held in locks)
        {
            held.Dispose();
        }
    }

    [Fact]
    public async Task The_lock_of_a_replica_that_died_is_taken_over_once_its_lease_expired_and_not_before()
    {
        var dead = Replica();
        await dead.PutContentAsync("/uploads/u/data", "x"u8.ToArray(), Token);
        var held = await dead.TryLockAsync(Lock, Token);
        Assert.True(held.IsHeld);
        dead.Dispose(); // stops renewing without releasing, as a crash would

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var survivor = Replica(time);
        time.Advance(_options.LockLease - TimeSpan.FromSeconds(5));
        using (var early = await survivor.TryLockAsync(Lock, Token))
        {
            Assert.Equal(StorageLockStatus.Busy, early.Status);
        }

        time.Advance(TimeSpan.FromSeconds(10));
        using var late = await survivor.TryLockAsync(Lock, Token);
        Assert.Equal(StorageLockStatus.Held, late.Status);
    }

    [Fact]
    public async Task A_held_lease_is_renewed_so_it_does_not_expire_under_its_holder()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var holder = Replica(time);
        var other = Replica(time);
        await holder.PutContentAsync("/uploads/u/data", "x"u8.ToArray(), Token);
        using var held = await holder.TryLockAsync(Lock, Token);
        var lease = holder.Keys.Of(Lock);
        var before = (await holder.HeadAsync(lease, Token))?.ETag;

        // Four renewal periods, more than a lease term, pass on the replicas' clock; each renews.
        for (var i = 0; i < 4; i++)
        {
            time.Advance(_options.LockLease / 3);
            await WaitUntilAsync(async () => (await holder.HeadAsync(lease, Token))?.ETag is { } etag && etag != before);
            before = (await holder.HeadAsync(lease, Token))?.ETag;
        }

        using var busy = await other.TryLockAsync(Lock, Token);
        Assert.Equal(StorageLockStatus.Busy, busy.Status);
    }

    public void Dispose()
    {
        foreach (var driver in _drivers)
        {
            driver.Dispose();
        }
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) =>
        Poll.UntilAsync(condition, "The condition did not hold.", TimeSpan.FromSeconds(10));

    private S3StorageDriver Replica(TimeProvider? time = null)
    {
        var driver = server.NewDriver(_options, time);
        _drivers.Add(driver);
        return driver;
    }
}
