using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RegistryCloud.Storage.FileSystem;

/// <summary>
/// Switches <c>O_DIRECT</c> on and off for an open file (Linux <c>fcntl(F_SETFL)</c>). The flag's
/// value differs by architecture, so only those whose value is known get it; everywhere else
/// <see cref="IsAvailable"/> is false and writers stay on the page cache.
/// </summary>
internal static partial class DirectIo
{
    /// <summary>Memory address, file offset and length alignment that any Linux block device accepts.</summary>
    public const int Alignment = 4096;

    private const int GetStatusFlags = 3;
    private const int SetStatusFlags = 4;

    private static readonly int DirectFlag = OperatingSystem.IsLinux()
        ? RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => 0x4000,
            Architecture.Arm64 or Architecture.Arm => 0x10000,
            _ => 0,
        }
        : 0;

    public static bool IsAvailable => DirectFlag != 0;

    /// <summary>Sets or clears <c>O_DIRECT</c>; false when the file system refuses it.</summary>
    public static bool TrySet(SafeFileHandle handle, bool direct)
    {
        if (!IsAvailable)
        {
            return !direct;
        }

        var flags = Fcntl(handle, GetStatusFlags, 0);
        if (flags < 0)
        {
            return false;
        }

        var wanted = direct ? flags | DirectFlag : flags & ~DirectFlag;
        return wanted == flags || Fcntl(handle, SetStatusFlags, wanted) == 0;
    }

    /// <summary>
    /// Reads at an offset of a handle that may be set for direct I/O. A file system that took the
    /// flag but refuses the read (an unaligned buffer, a FUSE mount) gets the handle switched back
    /// to buffered I/O, which needs no alignment, and the read again; <paramref name="refused"/>
    /// says so, for callers that keep their own record of the mode.
    /// </summary>
    public static int Read(SafeFileHandle handle, Span<byte> buffer, long offset, out bool refused)
    {
        try
        {
            refused = false;
            return RandomAccess.Read(handle, buffer, offset);
        }
        catch (IOException) when (TrySet(handle, direct: false))
        {
            refused = true;
            return RandomAccess.Read(handle, buffer, offset);
        }
    }

    /// <summary>
    /// How many bytes of <c>[offset, offset + length)</c> are in the page cache (Linux 6.5
    /// <c>cachestat</c>, which unlike a probing read has no side effects); null when the kernel
    /// cannot say.
    /// </summary>
    public static long? CachedBytes(SafeFileHandle handle, long offset, long length)
    {
        if (!IsAvailable || length <= 0)
        {
            return null;
        }

        var range = new CacheStatRange((ulong)offset, (ulong)length);
        return Syscall(CacheStatSyscall, handle, in range, out var stat, 0) == 0
            ? (long)stat.Cached * Environment.SystemPageSize
            : null;
    }

    // The same number on every architecture: syscalls added after 5.x share one table.
    private const long CacheStatSyscall = 451;

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct CacheStatRange(ulong Offset, ulong Length);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct CacheStat(ulong Cached, ulong Dirty, ulong Writeback, ulong Evicted, ulong RecentlyEvicted);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, SafeFileHandle handle, in CacheStatRange range, out CacheStat stat, long flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafeFileHandle handle, int command, int argument);
}
