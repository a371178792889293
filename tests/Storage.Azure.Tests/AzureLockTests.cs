using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.Azure.Tests;

/// <summary>Locks as blob leases, between two driver instances on one container (two replicas).</summary>
public sealed class AzureLockTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    internal const string Session = "/repositories/app/_uploads/1";
    private const string Lock = Session + "/lock";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lock_held_on_one_replica_is_busy_on_another_until_released_then_taken_over()
    {
        var (one, two) = await ReplicasWithSessionAsync(azurite);

        var held = await one.TryLockAsync(Lock, Token);
        Assert.True(held.IsHeld);
        using (var elsewhere = await two.TryLockAsync(Lock, Token))
        {
            Assert.Equal(StorageLockStatus.Busy, elsewhere.Status);
        }

        held.Dispose();

        using var taken = await two.TryLockAsync(Lock, Token);
        Assert.True(taken.IsHeld);
        using var back = await one.TryLockAsync(Lock, Token);
        Assert.Equal(StorageLockStatus.Busy, back.Status);
    }

    [Fact]
    public async Task The_holder_may_delete_the_directory_of_its_lock_and_then_release_it()
    {
        var (one, two) = await ReplicasWithSessionAsync(azurite);
        var held = await one.TryLockAsync(Lock, Token);
        Assert.True(held.IsHeld);

        // What a cancelled or committed upload does: its directory goes while its lock is held.
        Assert.True(await one.DeleteAsync(Session, Token));
        held.Dispose();

        Assert.Null(await two.StatAsync(Session, Token));
        using var after = await two.TryLockAsync(Lock, Token);
        Assert.Equal(StorageLockStatus.Missing, after.Status);
    }

    [Fact]
    public async Task A_directory_is_deleted_even_when_another_replica_holds_a_lock_in_it()
    {
        var (one, two) = await ReplicasWithSessionAsync(azurite);
        var held = await one.TryLockAsync(Lock, Token);
        Assert.True(held.IsHeld);

        Assert.True(await two.DeleteAsync(Session, Token));

        Assert.Empty(await two.ListAsync(Session, Token));
        held.Dispose();
        Assert.Null(await one.StatAsync(Session, Token));
    }

    internal static async Task<(AzureStorageDriver One, AzureStorageDriver Two)> ReplicasWithSessionAsync(AzuriteServer azurite)
    {
        var options = azurite.NewOptions();
        var one = new AzureStorageDriver(options);
        await one.PutContentAsync(Session + "/data", "x"u8.ToArray(), Token);
        return (one, new AzureStorageDriver(options));
    }
}
