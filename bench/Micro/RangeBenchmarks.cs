using BenchmarkDotNet.Attributes;
using RegistryCloud.BlobService.Apis;

namespace RegistryCloud.Bench.Micro;

/// <summary>
/// The <c>Content-Range</c> of every chunked PATCH, parsed by BlobService's UploadHeaders
/// (linked source). GET Range headers are parsed by ASP.NET Core, not by registry code.
/// </summary>
[MemoryDiagnoser]
public class RangeBenchmarks
{
    [Benchmark(Baseline = true)]
    public bool OciForm() => UploadHeaders.TryParseContentRange("8388608-16777215", out _, out _);

    [Benchmark]
    public bool BytesUnitWithLength() => UploadHeaders.TryParseContentRange("bytes 8388608-16777215/536870912", out _, out _);
}
