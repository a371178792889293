namespace RegistryCloud.Bench.Measurement;

/// <summary>The latency figures of a set of samples; null where there are no samples.</summary>
internal sealed record LatencySummary(int Count, double? P50, double? P99, double? Max, double? Mean)
{
    public static readonly LatencySummary Empty = new(0, null, null, null, null);
}

/// <summary>
/// Percentiles by the nearest-rank method: the smallest sample with at least p% of the samples
/// at or below it. It never invents a value between samples, so p99 of a few samples is their
/// maximum, and p50 of an even count is the lower of the two middle samples.
/// </summary>
internal static class Percentiles
{
    public static double? Of(ReadOnlySpan<double> sorted, double percentile)
    {
        if (percentile is < 0 or > 100 || double.IsNaN(percentile))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), "A percentile lies between 0 and 100.");
        }

        if (sorted.IsEmpty)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public static LatencySummary Summarize(IEnumerable<double> samples)
    {
        var sorted = samples.ToArray();
        if (sorted.Length == 0)
        {
            return LatencySummary.Empty;
        }

        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, Of(sorted, 50), Of(sorted, 99), sorted[^1], sorted.Average());
    }
}
