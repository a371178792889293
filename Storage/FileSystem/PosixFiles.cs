using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RegistryCloud.Storage.FileSystem;

/// <summary>
/// The two POSIX calls the filesystem driver needs that .NET does not offer: <c>fsync</c> of a
/// directory (a rename or a new entry survives power loss only once its directory is synced) and
/// an explicit <c>flock</c>. Elsewhere than Linux and macOS both are no-ops.
/// </summary>
internal static partial class PosixFiles
{
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC, the same on every Linux architecture
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;

    private static readonly bool IsPosix = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>errno of a lock held elsewhere (EWOULDBLOCK), as .NET reports it in an IOException's HResult.</summary>
    public static int WouldBlock => OperatingSystem.IsMacOS() ? 35 : 11;

    /// <summary>Makes the directory's entries (a rename into it, a new file or subdirectory) durable.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!IsPosix)
        {
            return;
        }

        var fd = Open(directory, OperatingSystem.IsLinux() ? ReadOnlyCloseOnExec : 0);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Cannot sync directory '{directory}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>Takes an exclusive <c>flock</c> without waiting; false when another open file holds one.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle)
    {
        if (!IsPosix)
        {
            return true;
        }

        if (Flock(handle, LockExclusive | LockNonBlocking) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == WouldBlock ? false : throw new IOException($"flock failed (errno {errno}).");
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle handle, int operation);
}
