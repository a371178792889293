using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.Azure.Tests;

/// <summary>A lock held longer than its lease: apart from the other lock tests, as it takes the lease's 15 s.</summary>
public sealed class AzureLeaseRenewalTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private const string Lock = "/repositories/app/_uploads/1/lock";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_held_lock_is_renewed_past_its_lease_and_stays_held()
    {
        var (one, two) = await AzureLockTests.ReplicasWithSessionAsync(azurite);
        using var held = await one.TryLockAsync(Lock, Token);
        Assert.True(held.IsHeld);

        // The lease lasts 15 s by the server's clock; past that, only the background renewal keeps it.
        // (What is checked is that nothing happens for a while, so the test looks every second.)
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(18);
        while (DateTime.UtcNow < until)
        {
            using var elsewhere = await two.TryLockAsync(Lock, Token);
            Assert.Equal(StorageLockStatus.Busy, elsewhere.Status);
            await Task.Delay(TimeSpan.FromSeconds(1), Token);
        }
    }
}
