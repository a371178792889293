using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
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

/// <summary>
/// Registers <see cref="LargeBlockMemoryPool"/> as Kestrel's socket transport pool, and lets a
/// response run further ahead of the socket (<see cref="SendBufferSize"/>).
/// </summary>
public static class LargeBlockMemoryPoolExtensions
{
    /// <summary>
    /// How much of a response may wait unsent before a flush waits (Kestrel's default: 64 KiB).
    /// A blob is written in 256 KiB pieces; with 64 KiB the writer stopped at every piece until
    /// the socket had nearly drained, so reading the next piece and sending the last took turns.
    /// 1 MiB: 512 MiB pulls through the gateway at 0.93x Distribution instead of 0.81x on the
    /// filesystem, 0.91x instead of 0.79x from S3 with redirects off (docs/performance.md,
    /// "Runtime settings"). At most that much per connection, only while its client is slower.
    /// </summary>
    public const int SendBufferSize = 1024 * 1024;

    public static WebApplicationBuilder UseLargeSocketBuffers(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();

        // The socket transport's output pipe for plain HTTP; Kestrel's response buffer for TLS,
        // whose pipe sits in front of the encryption.
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.MaxWriteBufferSize = SendBufferSize);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxResponseBufferSize = SendBufferSize);

        return builder;
    }

    private sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
    {
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
    }
}
