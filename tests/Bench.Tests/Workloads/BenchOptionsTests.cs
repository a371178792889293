namespace RegistryCloud.Bench.Tests.Workloads;

public sealed class BenchOptionsTests
{
    [Theory]
    [InlineData("4K", 4096)]
    [InlineData("8M", 8L << 20)]
    [InlineData("1G", 1L << 30)]
    [InlineData("512m", 512L << 20)]
    [InlineData("123", 123)]
    public void Sizes_take_binary_suffixes(string text, long bytes)
    {
        Assert.Equal(bytes, SizeText.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-4K")]
    [InlineData("4X")]
    [InlineData("99999999999G")]
    public void Sizes_that_are_not_positive_byte_counts_are_refused(string text)
    {
        Assert.Throws<ArgumentException>(() => SizeText.Parse(text));
    }

    [Fact]
    public void The_defaults_are_the_issues_workloads()
    {
        var options = BenchOptions.Parse(["--url", "http://127.0.0.1:5000"]);

        Assert.Equal(512L << 20, options.BlobSize);
        Assert.Equal(8L << 20, options.ChunkSize);
        Assert.Equal(2000, options.SmallCount);
        Assert.Equal(4096, options.SmallSize);
        Assert.Equal(16, options.Concurrency);
        Assert.Equal((200, 1000, 100), (options.Manifests, options.Tags, options.PageSize));
        Assert.Equal((10, 1L << 20, 64L << 20, 3), (options.Layers, options.LayerMin, options.LayerMax, options.Parallel));
        Assert.Equal(BenchOptions.AllWorkloads, options.Workloads);
    }

    [Fact]
    public void Registry_workloads_need_a_url_but_machine_limits_do_not()
    {
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--workloads", "push"]));
        Assert.Equal(["limits"], BenchOptions.Parse(["--workloads", "limits"]).Workloads);
    }

    [Fact]
    public void An_unknown_workload_or_option_is_refused_by_name()
    {
        var workload = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--url", "http://x", "--workloads", "push,nope"]));
        var option = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--url", "http://x", "--fast"]));

        Assert.Contains("nope", workload.Message, StringComparison.Ordinal);
        Assert.Contains("--fast", option.Message, StringComparison.Ordinal);
    }
}
