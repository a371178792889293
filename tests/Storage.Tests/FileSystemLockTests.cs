using System.Diagnostics;
using RegistryCloud.Storage.FileSystem;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Storage.Tests;

/// <summary>
/// The filesystem driver's locks are seen by other processes sharing the storage (another replica),
/// in both directions, and die with the process that held them: checked against util-linux
/// <c>flock(1)</c>, which takes the same kernel lock.
/// </summary>
public sealed class FileSystemLockTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("registrycloud-lock-").FullName;
    private readonly FileSystemStorageDriver _driver;

    public FileSystemLockTests() => _driver = new FileSystemStorageDriver(_root);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_lock_another_process_holds_is_busy_until_that_process_dies()
    {
        Directory.CreateDirectory(Path.Combine(_root, "session"));
        var file = Path.Combine(_root, "session", "lock");
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-n", file, "-c", "echo held; exec sleep 60"])
        {
            RedirectStandardOutput = true,
        })!;
        Assert.Equal("held", await holder.StandardOutput.ReadLineAsync(Token));

        using (var busy = await _driver.TryLockAsync("/session/lock", Token))
        {
            Assert.Equal(StorageLockStatus.Busy, busy.Status);
        }

        holder.Kill(entireProcessTree: true);
        await holder.WaitForExitAsync(Token);

        // The kernel drops the lock when the last process holding its file closes it: flock's
        // child (sleep) may still be exiting after flock itself was reaped.
        var status = await Poll.UntilAsync(
            async () =>
            {
                using var attempt = await _driver.TryLockAsync("/session/lock", Token);
                return attempt.Status;
            },
            status => status == StorageLockStatus.Held,
            status => $"the lock stayed {status} after the process holding it was killed");
        Assert.Equal(StorageLockStatus.Held, status);
    }

    [Fact]
    public async Task A_lock_this_process_holds_is_refused_to_another_process()
    {
        Directory.CreateDirectory(Path.Combine(_root, "session"));
        var file = Path.Combine(_root, "session", "lock");

        using (var held = await _driver.TryLockAsync("/session/lock", Token))
        {
            Assert.True(held.IsHeld);
            Assert.Equal(1, await FlockAsync(file));
        }

        Assert.Equal(0, await FlockAsync(file));
    }

    /// <summary>Exit code of <c>flock -n file true</c>: 0 when it took the lock, 1 when it was held.</summary>
    private static async Task<int> FlockAsync(string file)
    {
        using var process = Process.Start(new ProcessStartInfo("flock", ["-n", file, "true"]))!;
        await process.WaitForExitAsync(Token);
        return process.ExitCode;
    }
}
