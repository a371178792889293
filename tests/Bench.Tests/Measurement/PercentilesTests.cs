using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Tests.Measurement;

public sealed class PercentilesTests
{
    private static readonly double[] OneToHundred = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

    [Fact]
    public void P50_and_p99_of_one_to_a_hundred_are_fifty_and_ninety_nine()
    {
        Assert.Equal(50, Percentiles.Of(OneToHundred, 50));
        Assert.Equal(99, Percentiles.Of(OneToHundred, 99));
        Assert.Equal(100, Percentiles.Of(OneToHundred, 100));
        Assert.Equal(1, Percentiles.Of(OneToHundred, 0));
    }

    [Fact]
    public void P99_of_ten_samples_is_their_maximum()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        Assert.Equal(10, Percentiles.Of(sorted, 99));
        Assert.Equal(5, Percentiles.Of(sorted, 50));
    }

    [Fact]
    public void Every_percentile_of_one_sample_is_that_sample()
    {
        double[] one = [42];

        Assert.Equal(42, Percentiles.Of(one, 50));
        Assert.Equal(42, Percentiles.Of(one, 99));
    }

    [Fact]
    public void No_samples_have_no_percentiles()
    {
        Assert.Null(Percentiles.Of([], 50));
        Assert.Equal(LatencySummary.Empty, Percentiles.Summarize([]));
    }

    [Fact]
    public void A_summary_sorts_samples_given_in_any_order()
    {
        var summary = Percentiles.Summarize([9, 1, 5, 3, 7]);

        Assert.Equal(5, summary.Count);
        Assert.Equal(5, summary.P50);
        Assert.Equal(9, summary.P99);
        Assert.Equal(9, summary.Max);
        Assert.Equal(5, summary.Mean);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(double.NaN)]
    public void A_percentile_outside_zero_to_a_hundred_is_refused(double percentile)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of(OneToHundred, percentile));
    }

    [Fact]
    public void A_recorder_fed_from_many_threads_keeps_every_sample()
    {
        var recorder = new LatencyRecorder();

        Parallel.For(0, 10_000, i => recorder.Record(i));

        var summary = recorder.Summarize();
        Assert.Equal(10_000, summary.Count);
        Assert.Equal(9_999, summary.Max);
        Assert.Equal(4_999, summary.P50);
    }
}
