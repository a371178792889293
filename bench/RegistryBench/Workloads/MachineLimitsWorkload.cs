using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RegistryCloud.Bench.Content;
using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Workloads;

/// <summary>
/// The machine's own ceilings, measured by the same runtime the registry runs on: SHA-256 over
/// pooled 1 MiB buffers (what every push and verified pull pays), making benchmark content (what
/// the client pays), and one TCP stream over loopback (what any HTTP hop pays at best).
/// </summary>
internal sealed class MachineLimitsWorkload : IWorkload
{
    private const int BufferSize = 1 << 20;

    public string Name => "limits";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var size = context.Options.LimitsSize;
        var source = new BlobSource(context.Options.Seed, size);
        var buffer = new byte[BufferSize];

        var start = Stopwatch.GetTimestamp();
        for (long offset = 0; offset < size; offset += BufferSize)
        {
            source.Fill(offset, buffer.AsSpan(0, (int)Math.Min(BufferSize, size - offset)));
        }

        var generate = Stopwatch.GetElapsedTime(start);

        start = Stopwatch.GetTimestamp();
        using (var hash = BlobDigest.CreateHash(BlobDigest.Sha256))
        {
            for (long offset = 0; offset < size; offset += BufferSize)
            {
                hash.AppendData(buffer, 0, (int)Math.Min(BufferSize, size - offset));
            }

            hash.GetHashAndReset();
        }

        var sha256 = Stopwatch.GetElapsedTime(start);
        var loopback = await LoopbackAsync(size, buffer, cancellationToken);

        var none = new ErrorTally();
        return
        [
            WorkloadResult.ForBytes(Name, "sha256", size, 1, sha256, LatencySummary.Empty, none),
            WorkloadResult.ForBytes(Name, "content-generation", size, 1, generate, LatencySummary.Empty, none),
            WorkloadResult.ForBytes(Name, "loopback-tcp", size, 1, loopback, LatencySummary.Empty, none),
        ];
    }

    private static async Task<TimeSpan> LoopbackAsync(long size, byte[] sendBuffer, CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await sender.ConnectAsync(listener.LocalEndPoint!, cancellationToken);
        using var receiver = await listener.AcceptAsync(cancellationToken);

        var start = Stopwatch.GetTimestamp();
        var receiving = Task.Run(async () =>
        {
            var receiveBuffer = new byte[BufferSize];
            long received = 0;
            while (received < size)
            {
                var read = await receiver.ReceiveAsync(receiveBuffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    throw new IOException($"loopback closed after {received} of {size} bytes");
                }

                received += read;
            }
        }, cancellationToken);

        for (long sent = 0; sent < size;)
        {
            var count = (int)Math.Min(sendBuffer.Length, size - sent);
            sent += await sender.SendAsync(sendBuffer.AsMemory(0, count), SocketFlags.None, cancellationToken);
        }

        await receiving;
        return Stopwatch.GetElapsedTime(start);
    }
}
