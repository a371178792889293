using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Reporting;

/// <summary>
/// The side-by-side table of two registries over any number of rounds: for each figure, the
/// median across rounds of each registry and the ratio candidate ÷ baseline of throughput
/// (above 1 the candidate is faster). Machine-limit figures are listed on their own.
/// </summary>
internal static class Comparison
{
    public static string Render(IReadOnlyList<BenchRun> runs, string baseline, string candidate)
    {
        var names = runs.SelectMany(r => r.Results).Where(r => r.Workload != "limits").Select(r => r.Name).Distinct().ToList();
        var table = new TextTable(
            "figure", "unit", baseline, candidate, $"ratio {candidate}÷{baseline}",
            $"p50 ms {baseline}", $"p50 ms {candidate}", $"p99 ms {baseline}", $"p99 ms {candidate}", "rounds", "errors");
        foreach (var name in names)
        {
            var b = Select(runs, baseline, name);
            var c = Select(runs, candidate, name);
            var unit = b.Concat(c).First().Unit;
            var bThroughput = Median(b.Select(r => r.Throughput));
            var cThroughput = Median(c.Select(r => r.Throughput));
            table.Add(
                name,
                unit,
                TextTable.Number(bThroughput),
                TextTable.Number(cThroughput),
                Ratio(cThroughput, bThroughput),
                TextTable.Number(Median(b.Select(r => r.P50Ms))),
                TextTable.Number(Median(c.Select(r => r.P50Ms))),
                TextTable.Number(Median(b.Select(r => r.P99Ms))),
                TextTable.Number(Median(c.Select(r => r.P99Ms))),
                $"{b.Count}/{c.Count}",
                $"{b.Sum(r => r.Errors)}/{c.Sum(r => r.Errors)}");
        }

        var text = table.ToString();
        var limits = runs.SelectMany(r => r.Results).Where(r => r.Workload == "limits").GroupBy(r => r.Name).ToList();
        if (limits.Count > 0)
        {
            var machine = new TextTable("machine limit (.NET, same run)", "MiB/s", "samples");
            foreach (var limit in limits)
            {
                machine.Add(limit.Key, TextTable.Number(Median(limit.Select(r => r.Throughput))), limit.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            text += "\n" + machine;
        }

        return text;
    }

    /// <summary>The median: the middle value, or the mean of the two middle values; null for none.</summary>
    internal static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    internal static double? Median(IEnumerable<double> values) => Median(values.Select(v => (double?)v));

    internal static string Ratio(double? candidate, double? baseline) =>
        candidate is { } c && baseline is { } b && b > 0 ? (c / b).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + "×" : "-";

    private static List<WorkloadResult> Select(IReadOnlyList<BenchRun> runs, string label, string name) =>
        runs.Where(r => r.Label == label).SelectMany(r => r.Results).Where(r => r.Name == name).ToList();
}
