using System.Runtime.InteropServices;

namespace RegistryCloud.Storage.S3;

internal static class S3Buffers
{
    /// <summary>A read-only stream over bytes, without copying them when they live in an array.</summary>
    public static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
