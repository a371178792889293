namespace RegistryCloud.Configuration.Tests;

/// <summary>RegistryCloud's own <c>gc</c> section: the online garbage collector.</summary>
public sealed class LifecycleSectionTests
{
    [Fact]
    public void Without_a_gc_section_the_collector_is_off_with_a_day_between_runs_and_an_hour_of_grace()
    {
        var gc = Loading.Configuration(Loading.Minimal).Gc;

        Assert.False(gc.Enabled);
        Assert.Equal(TimeSpan.FromHours(24), gc.Interval);
        Assert.Equal(TimeSpan.FromHours(1), gc.Delay);
        Assert.False(gc.DeleteUntagged);
        Assert.False(gc.DryRun);
    }

    [Fact]
    public void The_gc_section_is_read_and_REGISTRY_GC_variables_override_it()
    {
        var gc = Loading.Configuration(
            Loading.Minimal + "gc:\n  enabled: true\n  interval: 6h\n  delay: 30m\n  deleteuntagged: true\n",
            ("REGISTRY_GC_DRYRUN", "true"),
            ("REGISTRY_GC_DELAY", "2h")).Gc;

        Assert.True(gc.Enabled);
        Assert.Equal(TimeSpan.FromHours(6), gc.Interval);
        Assert.Equal(TimeSpan.FromHours(2), gc.Delay);
        Assert.True(gc.DeleteUntagged);
        Assert.True(gc.DryRun);
    }

    [Fact]
    public void A_printed_gc_section_loads_back_the_same()
    {
        var configuration = Loading.Configuration(Loading.Minimal + "gc:\n  enabled: true\n  interval: 90m\n  delay: 0s\n  dryrun: true\n");

        var printed = Loading.Configuration(configuration.ToMaskedYaml());

        Assert.Equal(configuration.Gc, printed.Gc);
    }

    [Theory]
    [InlineData("gc:\n  interval: 0s\n", "gc.interval: must be at least 1s")]
    [InlineData("gc:\n  delay: -1h\n", "gc.delay: '-1h' must not be negative")]
    [InlineData("gc:\n  delay: soon\n", "gc.delay: 'soon' is not a duration")]
    [InlineData("gc:\n  enabled: maybe\n", "gc.enabled:")]
    public void A_bad_gc_setting_names_its_key(string section, string expected)
    {
        Assert.StartsWith(expected, Loading.Error(Loading.Minimal + section), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_gc_key_is_warned_about_by_name()
    {
        var warnings = Loading.Parse(Loading.Minimal + "gc:\n  enabled: true\n  schedule: nightly\n").Warnings;

        Assert.Contains(warnings, warning => warning.Contains("gc.schedule", StringComparison.Ordinal));
    }
}
