using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace RegistryCloud.Storage.FileSystem;

/// <summary>
/// Exclusive locks on files for the filesystem driver: an entry in this process's table, then an
/// <c>flock</c> on the file, which other processes on the same storage see (on NFS, Linux maps
/// <c>flock</c> to a whole-file POSIX lock, which only tells processes apart; the table tells this
/// process's requests apart). The kernel drops the <c>flock</c> when the process dies, so a crash
/// never leaves a lock behind.
/// </summary>
internal static class FileLocks
{
    private static readonly ConcurrentDictionary<string, byte> HeldHere = new(StringComparer.Ordinal);

    /// <summary>Locks <paramref name="file"/>, creating it when its directory exists; never waits.</summary>
    public static StorageLock TryLock(string file)
    {
        if (!HeldHere.TryAdd(file, 0))
        {
            return StorageLock.Busy;
        }

        SafeFileHandle? handle = null;
        try
        {
            // FileShare.None: .NET itself takes flock(LOCK_EX | LOCK_NB) as it opens the file (and
            // reports a holder elsewhere as EWOULDBLOCK); the explicit call below covers a runtime
            // whose file locking is switched off (DOTNET_SYSTEM_IO_DISABLEFILELOCKING).
            handle = File.OpenHandle(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            if (!PosixFiles.TryLockExclusive(handle))
            {
                return Release(handle, file, StorageLock.Busy);
            }

            var held = handle;
            return StorageLock.Held(() =>
            {
                held.Dispose();
                HeldHere.TryRemove(file, out _);
            });
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            // .NET reports the directory vanishing between its checks and open(O_CREAT) as a missing file.
            return Release(handle, file, StorageLock.Missing);
        }
        catch (IOException e) when (e.HResult == PosixFiles.WouldBlock)
        {
            return Release(handle, file, StorageLock.Busy);
        }
        catch
        {
            Release(handle, file, StorageLock.Missing);
            throw;
        }
    }

    private static StorageLock Release(SafeFileHandle? handle, string file, StorageLock result)
    {
        handle?.Dispose();
        HeldHere.TryRemove(file, out _);
        return result;
    }
}
