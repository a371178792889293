using RegistryCloud.Bench.Measurement;
using RegistryCloud.Bench.Reporting;

namespace RegistryCloud.Bench.Tests.Reporting;

public sealed class ComparisonTests
{
    [Fact]
    public void The_median_of_an_odd_count_is_the_middle_value()
    {
        Assert.Equal(3, Comparison.Median([5.0, 1.0, 3.0]));
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_two_middle_values()
    {
        Assert.Equal(2.5, Comparison.Median([4.0, 1.0, 2.0, 3.0]));
    }

    [Fact]
    public void The_median_of_nothing_is_null_and_missing_values_are_skipped()
    {
        Assert.Null(Comparison.Median(Array.Empty<double>()));
        Assert.Equal(7, Comparison.Median([null, 7.0, null]));
    }

    [Fact]
    public void The_ratio_is_candidate_over_baseline_and_absent_when_the_baseline_is_zero()
    {
        Assert.Equal("2.50×", Comparison.Ratio(250, 100));
        Assert.Equal("-", Comparison.Ratio(250, 0));
        Assert.Equal("-", Comparison.Ratio(null, 100));
    }

    [Fact]
    public void The_table_puts_each_registrys_median_over_rounds_side_by_side_with_the_ratio()
    {
        BenchRun[] runs =
        [
            Run("distribution", 1, 100), Run("distribution", 2, 120), Run("distribution", 3, 110),
            Run("registrycloud", 1, 200), Run("registrycloud", 2, 260), Run("registrycloud", 3, 220),
        ];

        var table = Comparison.Render(runs, "distribution", "registrycloud");

        var row = table.Split('\n').Single(l => l.StartsWith("| blob-pull", StringComparison.Ordinal));
        var cells = row.Split('|', StringSplitOptions.TrimEntries);
        Assert.Equal("110", cells[3]);
        Assert.Equal("220", cells[4]);
        Assert.Equal("2.00×", cells[5]);
        Assert.Equal("3/3", cells[10]);
    }

    private static BenchRun Run(string label, int round, double throughput) => new(
        label, null, round, (ulong)round, DateTimeOffset.UnixEpoch, new Dictionary<string, string>(),
        [new WorkloadResult("pull", "blob-pull", WorkloadResult.MebibytesPerSecond, throughput, 1, 1, 1, 1, 1, 1, 1, 0, null)]);
}
