using System.Diagnostics;

namespace RegistryCloud.Bench.Measurement;

/// <summary>Collects operation latencies in milliseconds from any number of concurrent clients.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<double> _samples = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _samples.Count;
            }
        }
    }

    public void Record(double milliseconds)
    {
        lock (_gate)
        {
            _samples.Add(milliseconds);
        }
    }

    /// <summary>Records the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    public LatencySummary Summarize()
    {
        lock (_gate)
        {
            return Percentiles.Summarize(_samples);
        }
    }
}
