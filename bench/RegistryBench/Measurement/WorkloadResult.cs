namespace RegistryCloud.Bench.Measurement;

/// <summary>
/// One measured figure: <paramref name="Throughput"/> in <paramref name="Unit"/> (MiB/s or
/// op/s) over the wall time of the whole workload, and the latency of its operations in ms.
/// </summary>
internal sealed record WorkloadResult(
    string Workload,
    string Name,
    string Unit,
    double Throughput,
    long Operations,
    long Bytes,
    double ElapsedSeconds,
    int LatencySamples,
    double? P50Ms,
    double? P99Ms,
    double? MaxMs,
    int Errors,
    string? FirstError)
{
    public const string MebibytesPerSecond = "MiB/s";
    public const string OperationsPerSecond = "op/s";

    public static WorkloadResult ForBytes(string workload, string name, long bytes, long operations, TimeSpan elapsed, LatencySummary latency, ErrorTally errors) =>
        new(workload, name, MebibytesPerSecond, bytes / 1048576.0 / Math.Max(elapsed.TotalSeconds, 1e-9), operations, bytes,
            elapsed.TotalSeconds, latency.Count, latency.P50, latency.P99, latency.Max, errors.Count, errors.First);

    public static WorkloadResult ForOperations(string workload, string name, long operations, long bytes, TimeSpan elapsed, LatencySummary latency, ErrorTally errors) =>
        new(workload, name, OperationsPerSecond, operations / Math.Max(elapsed.TotalSeconds, 1e-9), operations, bytes,
            elapsed.TotalSeconds, latency.Count, latency.P50, latency.P99, latency.Max, errors.Count, errors.First);
}
