using System.Buffers;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using RegistryCloud.Oci;

namespace RegistryCloud.Bench.Micro;

/// <summary>
/// Digesting a blob as BlobService does while it streams an upload (<see cref="Digest.CreateHash"/>
/// fed 1 MiB pooled buffers) against hashing the same bytes in one call: the gap is the cost of
/// streaming, and either figure is the ceiling on one core for any push or verified pull.
/// Public and unsealed because BenchmarkDotNet derives from benchmark classes.
/// </summary>
[MemoryDiagnoser]
public class DigestBenchmarks
{
    private const int Chunk = 1 << 20;

    private byte[] _content = [];

    [Params(4 * 1024, 1 << 20, 64 << 20)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _content = new byte[Size];
        new Random(1).NextBytes(_content);
    }

    [Benchmark(Baseline = true)]
    public string OneShotSha256() => Digest.Compute(_content).Encoded;

    [Benchmark]
    public string IncrementalOverPooledOneMebibyteChunks()
    {
        using var hash = Digest.CreateHash(Digest.Sha256);
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            for (var offset = 0; offset < _content.Length; offset += Chunk)
            {
                var count = Math.Min(Chunk, _content.Length - offset);
                // The copy stands for the read from the request body into the pooled buffer.
                _content.AsSpan(offset, count).CopyTo(buffer);
                hash.AppendData(buffer, 0, count);
            }

            Span<byte> result = stackalloc byte[SHA256.HashSizeInBytes];
            hash.GetHashAndReset(result);
            return Digest.FromHash(Digest.Sha256, result).Encoded;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
