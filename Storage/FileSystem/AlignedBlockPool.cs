using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace RegistryCloud.Storage.FileSystem;

/// <summary>
/// Page-aligned staging blocks for direct writes, on the pinned object heap so the kernel can DMA
/// from them while the GC runs. A few are kept for reuse; the rest are left to the GC, so memory
/// follows the number of concurrent uploads, never their size.
/// </summary>
internal static class AlignedBlockPool
{
    // 512 KiB: direct writes of this size ran at 1.5-2 GB/s here, and an upload holds two.
    public const int BlockSize = 512 * 1024;
    private const int Retained = 32;
    private static readonly ConcurrentQueue<byte[]> Free = new();

    public static Memory<byte> Rent()
    {
        var array = Free.TryDequeue(out var reused)
            ? reused
            : GC.AllocateUninitializedArray<byte>(BlockSize + DirectIo.Alignment, pinned: true);
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
        var offset = (int)((DirectIo.Alignment - (address % DirectIo.Alignment)) % DirectIo.Alignment);
        return array.AsMemory(offset, BlockSize);
    }

    public static void Return(Memory<byte> block)
    {
        if (MemoryMarshal.TryGetArray<byte>(block, out var segment) && segment.Array is { } array && Free.Count < Retained)
        {
            Free.Enqueue(array);
        }
    }
}
