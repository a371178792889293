using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RegistryCloud.BlobService.Uploads;
using RegistryCloud.Configuration;
using RegistryCloud.Lifecycle.Uploads;
using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary><c>storage.maintenance.uploadpurging</c>: stale sessions go, fresh ones stay.</summary>
public sealed class UploadPurgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private const string OldUpload = "11111111-1111-1111-1111-111111111111";
    private const string FreshUpload = "22222222-2222-2222-2222-222222222222";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sessions_started_before_the_cutoff_are_deleted_and_newer_ones_kept()
    {
        var driver = await DriverWithTwoSessionsAsync();
        var purger = new UploadPurger(driver, new RegistryConfiguration(), TimeProvider.System, NullLogger<UploadPurger>.Instance);

        var result = await purger.PurgeAsync(Now - TimeSpan.FromDays(7), dryRun: false, Token);

        Assert.Equal(new PurgeResult(1, 1), result);
        Assert.Null(await driver.StatAsync(RegistryPaths.UploadDirectory("team/app", OldUpload), Token));
        Assert.NotNull(await driver.StatAsync(RegistryPaths.UploadData("team/app", FreshUpload), Token));
    }

    [Fact]
    public async Task A_dry_run_counts_stale_sessions_but_deletes_nothing()
    {
        var driver = await DriverWithTwoSessionsAsync();
        var purger = new UploadPurger(driver, new RegistryConfiguration(), TimeProvider.System, NullLogger<UploadPurger>.Instance);

        var result = await purger.PurgeAsync(Now - TimeSpan.FromDays(7), dryRun: true, Token);

        Assert.Equal(1, result.Purged);
        Assert.NotNull(await driver.StatAsync(RegistryPaths.UploadData("team/app", OldUpload), Token));
    }

    private static async Task<InMemoryStorageDriver> DriverWithTwoSessionsAsync()
    {
        var driver = new InMemoryStorageDriver();
        await AddSessionAsync(driver, OldUpload, Now - TimeSpan.FromDays(8));
        await AddSessionAsync(driver, FreshUpload, Now - TimeSpan.FromHours(1));
        return driver;
    }

    private static async Task AddSessionAsync(InMemoryStorageDriver driver, string id, DateTimeOffset startedAt)
    {
        await driver.PutContentAsync(RegistryPaths.UploadStartedAt("team/app", id), Encoding.UTF8.GetBytes(startedAt.ToString("O")), Token);
        await driver.PutContentAsync(RegistryPaths.UploadData("team/app", id), new byte[] { 1, 2, 3 }, Token);
    }
}
