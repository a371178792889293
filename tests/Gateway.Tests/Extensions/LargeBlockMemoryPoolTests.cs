using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace RegistryCloud.Gateway.Tests.Extensions;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Small_rents_get_a_whole_block_and_blocks_are_reused_once_returned()
    {
        using var pool = new LargeBlockMemoryPool();

        var first = pool.Rent(4096);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, first.Memory.Length);
        var array = Array(first.Memory);
        first.Dispose();

        using var second = pool.Rent();
        Assert.Same(array, Array(second.Memory));
    }

    [Fact]
    public void A_block_disposed_twice_is_handed_out_once()
    {
        using var pool = new LargeBlockMemoryPool();
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();

        using var a = pool.Rent();
        using var b = pool.Rent();

        Assert.NotSame(Array(a.Memory), Array(b.Memory));
    }

    [Fact]
    public void A_rent_larger_than_a_block_gets_its_own_buffer()
    {
        using var pool = new LargeBlockMemoryPool();

        using var large = pool.Rent(LargeBlockMemoryPool.BlockSize + 1);

        Assert.Equal(LargeBlockMemoryPool.BlockSize + 1, large.Memory.Length);
    }

    [Fact]
    public async Task Kestrel_connections_use_the_pool_once_registered()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.UseLargeSocketBuffers();
        await using var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(
            context.Features.Get<IMemoryPoolFeature>()?.MemoryPool.GetType().Name ?? "none"));
        await app.StartAsync(TestContext.Current.CancellationToken);

        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var pool = await client.GetStringAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(nameof(LargeBlockMemoryPool), pool);
    }

    private static byte[] Array(Memory<byte> memory) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(memory, out var segment) ? segment.Array! : throw new InvalidOperationException("not array-backed");
}
