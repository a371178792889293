using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Kestrel's connection memory pool with 64 KiB blocks instead of its own 4 KiB ones. A socket
/// receive fills one block, so small blocks cost one <c>recv</c> call and one pipe segment per
/// 4 KiB of a blob in each service it passes through; 64 KiB blocks need up to sixteen times fewer
/// (docs/performance.md, "Measured design choices"). For the services that carry blob bytes (gateway and BlobService).
/// Blocks live on the pinned object heap, as Kestrel's do; a bounded number are kept for reuse
/// and the rest are left to the GC, so idle memory stays small.
/// </summary>
public sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;
    private const int Retained = 512;
    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockSize)
        {
            return new Block(this, GC.AllocateUninitializedArray<byte>(minBufferSize, pinned: true), pooled: false);
        }

        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            block.Lease();
            return block;
        }

        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), pooled: true);
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _freeCount) <= Retained)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    private sealed class Block(LargeBlockMemoryPool pool, byte[] array, bool pooled) : IMemoryOwner<byte>
    {
        private int _leased = 1;

        public Memory<byte> Memory => array;

        public void Lease() => _leased = 1;

        public void Dispose()
        {
            // Kestrel disposes each block once; a second dispose must not hand it out twice.
            if (Interlocked.Exchange(ref _leased, 0) == 1 && pooled)
            {
                pool.Return(this);
            }
        }
    }
}

/// <summary>Registers <see cref="LargeBlockMemoryPool"/> as Kestrel's socket transport pool.</summary>
public static class LargeBlockMemoryPoolExtensions
{
    public static WebApplicationBuilder UseLargeSocketBuffers(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        return builder;
    }

    private sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
    {
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
    }
}
