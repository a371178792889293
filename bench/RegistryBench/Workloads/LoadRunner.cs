using System.Diagnostics;
using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Workloads;

/// <summary>
/// Runs an operation from a number of concurrent clients, each timing its own operations.
/// Failures are counted, not thrown, so one refused request does not hide every other figure.
/// </summary>
internal static class LoadRunner
{
    public static async Task<TimeSpan> ForCountAsync(
        int count, int clients, Func<int, CancellationToken, Task> operation, LatencyRecorder latency, ErrorTally errors, CancellationToken cancellationToken)
    {
        var next = -1;
        var start = Stopwatch.GetTimestamp();
        var workers = new Task[Math.Clamp(clients, 1, Math.Max(count, 1))];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    await TimeOneAsync(() => operation(i, cancellationToken), latency, errors, cancellationToken);
                }
            }, cancellationToken);
        }

        await Task.WhenAll(workers);
        return Stopwatch.GetElapsedTime(start);
    }

    public static async Task<TimeSpan> ForDurationAsync(
        TimeSpan duration, int clients, Func<CancellationToken, Task> operation, LatencyRecorder latency, ErrorTally errors, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var workers = new Task[Math.Max(clients, 1)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                while (Stopwatch.GetElapsedTime(start) < duration)
                {
                    await TimeOneAsync(() => operation(cancellationToken), latency, errors, cancellationToken);
                }
            }, cancellationToken);
        }

        await Task.WhenAll(workers);
        return Stopwatch.GetElapsedTime(start);
    }

    private static async Task TimeOneAsync(Func<Task> operation, LatencyRecorder latency, ErrorTally errors, CancellationToken cancellationToken)
    {
        var begun = Stopwatch.GetTimestamp();
        try
        {
            await operation();
            latency.RecordSince(begun);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add(e);
        }
    }
}
