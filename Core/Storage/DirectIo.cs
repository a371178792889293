using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RegistryCloud.Core.Storage;

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

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafeFileHandle handle, int command, int argument);
}
