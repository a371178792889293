
namespace RegistryCloud.Configuration.Tests;

/// <summary>Durations are read as Go's time.ParseDuration reads them, plus bare integer nanoseconds.</summary>
public sealed class GoDurationTests
{
    public static TheoryData<string, TimeSpan> Durations => new()
    {
        { "300s", TimeSpan.FromSeconds(300) },
        { "10ms", TimeSpan.FromMilliseconds(10) },
        { "1m30s", TimeSpan.FromSeconds(90) },
        { "1h", TimeSpan.FromHours(1) },
        { "2h45m", new TimeSpan(2, 45, 0) },
        { "168h", TimeSpan.FromDays(7) },
        { "500us", TimeSpan.FromMicroseconds(500) },
        { "500\u00b5s", TimeSpan.FromMicroseconds(500) },
        { "500\u03bcs", TimeSpan.FromMicroseconds(500) },
        { "1500ns", TimeSpan.FromTicks(15) },
        { "1.5h", TimeSpan.FromMinutes(90) },
        { ".5s", TimeSpan.FromMilliseconds(500) },
        { "1.s", TimeSpan.FromSeconds(1) },
        { "1h1m1s1ms", new TimeSpan(0, 1, 1, 1, 1) },
        { "+5s", TimeSpan.FromSeconds(5) },
        { "-1.5h", TimeSpan.FromMinutes(-90) },
        { "0", TimeSpan.Zero },
        { "1000000000", TimeSpan.FromSeconds(1) },
        { "250", TimeSpan.FromTicks(2) },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void A_go_duration_reads_as_the_same_time_span(string text, TimeSpan expected)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10xs")]
    [InlineData("1.5")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("1h 30m")]
    [InlineData("--1s")]
    [InlineData("1e3s")]
    [InlineData("10S")]
    [InlineData("3d")]
    [InlineData("9223372036854775808")]
    [InlineData("2562048h")]
    public void Text_that_is_not_a_go_duration_is_refused(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
        Assert.Throws<FormatException>(() => GoDuration.Parse(text));
    }

    [Theory]
    [InlineData("0s", "0s")]
    [InlineData("300s", "5m")]
    [InlineData("90s", "1m30s")]
    [InlineData("2h45m", "2h45m")]
    [InlineData("10ms", "10ms")]
    [InlineData("500us", "500us")]
    [InlineData("1500ns", "1500ns")]
    [InlineData("1.25s", "1.25s")]
    [InlineData("1h0m0.5s", "1h0.5s")]
    [InlineData("-90m", "-1h30m")]
    public void A_duration_is_written_in_the_shortest_go_form_that_reads_back_the_same(string text, string expected)
    {
        var value = GoDuration.Parse(text);

        var written = GoDuration.Format(value);

        Assert.Equal(expected, written);
        Assert.Equal(value, GoDuration.Parse(written));
    }

    [Theory]
    [InlineData("1m30s", 90_000)]
    [InlineData("10000000", 10)]
    [InlineData("'2s'", 2_000)]
    public void A_duration_setting_in_the_file_is_read_with_the_same_rules(string text, int milliseconds)
    {
        var http = Loading.Configuration(Loading.Minimal + $"http:\n  draintimeout: {text}\n").Http;

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), http.DrainTimeout);
    }
}
