namespace RegistryCloud.Configuration.Tests;

/// <summary>RegistryCloud's own <c>gc</c> and <c>policies</c> sections: the collector and the rules it and the services apply.</summary>
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
        Assert.Equal(25, gc.DutyCycle);
    }

    [Fact]
    public void The_gc_section_is_read_and_REGISTRY_GC_variables_override_it()
    {
        var gc = Loading.Configuration(
            Loading.Minimal + "gc:\n  enabled: true\n  interval: 6h\n  delay: 30m\n  deleteuntagged: true\n  dutycycle: 50\n",
            ("REGISTRY_GC_DRYRUN", "true"),
            ("REGISTRY_GC_DELAY", "2h")).Gc;

        Assert.True(gc.Enabled);
        Assert.Equal(TimeSpan.FromHours(6), gc.Interval);
        Assert.Equal(TimeSpan.FromHours(2), gc.Delay);
        Assert.True(gc.DeleteUntagged);
        Assert.True(gc.DryRun);
        Assert.Equal(50, gc.DutyCycle);
    }

    [Fact]
    public void A_printed_gc_section_loads_back_the_same()
    {
        var configuration = Loading.Configuration(Loading.Minimal + "gc:\n  enabled: true\n  interval: 90m\n  delay: 0s\n  dryrun: true\n  dutycycle: 100\n");

        var printed = Loading.Configuration(configuration.ToMaskedYaml());

        Assert.Equal(configuration.Gc, printed.Gc);
    }

    [Theory]
    [InlineData("gc:\n  interval: 0s\n", "gc.interval: must be at least 1s")]
    [InlineData("gc:\n  delay: -1h\n", "gc.delay: '-1h' must not be negative")]
    [InlineData("gc:\n  delay: soon\n", "gc.delay: 'soon' is not a duration")]
    [InlineData("gc:\n  enabled: maybe\n", "gc.enabled:")]
    [InlineData("gc:\n  dutycycle: 0\n", "gc.dutycycle: '0' must be at least 1")]
    [InlineData("gc:\n  dutycycle: 150\n", "gc.dutycycle: '150' must be at most 100")]
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

    [Fact]
    public void The_scrub_is_off_by_default_and_reads_its_rate_as_a_byte_count()
    {
        Assert.Equal(new ScrubConfiguration(), Loading.Configuration(Loading.Minimal).Scrub);

        var configuration = Loading.Configuration(Loading.Minimal + "scrub:\n  enabled: true\n  interval: 24h\n  ratelimit: 5MiB\n");

        Assert.Equal(new ScrubConfiguration { Enabled = true, Interval = TimeSpan.FromHours(24), RateLimit = 5L << 20 }, configuration.Scrub);
        Assert.Equal(configuration.Scrub, Loading.Configuration(configuration.ToMaskedYaml()).Scrub);
        Assert.StartsWith("scrub.ratelimit: 'fast' is not a byte count", Loading.Error(Loading.Minimal + "scrub:\n  ratelimit: fast\n"), StringComparison.Ordinal);
    }

    private const string Policies = """
        policies:
          immutabletags:
            - repository: "prod/**"
              tags: ["v*", release]
            - repository: base
          retention:
            - repository: "ci/*"
              keeplast: 10
              keeptags: [latest]
              olderthan: 720h
              keeppulledwithin: 168h
          quotas:
            - repository: "team-a/**"
              bytes: 10GiB
            - repository: scratch
              bytes: 500MB
        """;

    [Fact]
    public void Policies_read_every_rule_with_its_defaults_and_key_path()
    {
        var policies = Loading.Configuration(Loading.Minimal + Policies).Policies;

        Assert.Equal(
            [new ImmutableTagsRule("prod/**", ["v*", "release"], "policies.immutabletags[0]"), new ImmutableTagsRule("base", ["*"], "policies.immutabletags[1]")],
            policies.ImmutableTags, new RuleComparer<ImmutableTagsRule>(rule => $"{rule.Repository}|{string.Join(",", rule.Tags)}|{rule.Path}"));
        var retention = Assert.Single(policies.Retention);
        Assert.Equal(("ci/*", 10, TimeSpan.FromDays(30), TimeSpan.FromDays(7), "policies.retention[0]"),
            (retention.Repository, retention.KeepLast, retention.OlderThan, retention.KeepPulledWithin, retention.Path));
        Assert.Equal(["latest"], retention.KeepTags);
        Assert.Equal([new QuotaRule("team-a/**", 10L << 30, "policies.quotas[0]"), new QuotaRule("scratch", 500_000_000, "policies.quotas[1]")], policies.Quotas);
    }

    [Fact]
    public void Printed_policies_load_back_the_same()
    {
        var configuration = Loading.Configuration(Loading.Minimal + Policies);

        var printed = Loading.Configuration(configuration.ToMaskedYaml()).Policies;

        Assert.Equal(configuration.Policies.Quotas, printed.Quotas);
        Assert.Equal(configuration.Policies.ImmutableTags.Select(rule => (rule.Repository, string.Join(",", rule.Tags))), printed.ImmutableTags.Select(rule => (rule.Repository, string.Join(",", rule.Tags))));
        Assert.Equal(configuration.Policies.Retention.Single() with { KeepTags = [] }, printed.Retention.Single() with { KeepTags = [] });
        Assert.Equal(configuration.Policies.Retention.Single().KeepTags, printed.Retention.Single().KeepTags);
    }

    [Theory]
    [InlineData("policies:\n  quotas:\n    - repository: a\n", "policies.quotas[0].bytes: is required")]
    [InlineData("policies:\n  quotas:\n    - repository: a\n      bytes: lots\n", "policies.quotas[0].bytes: 'lots' is not a byte count")]
    [InlineData("policies:\n  quotas:\n    - repository: a\n      bytes: 10XB\n", "policies.quotas[0].bytes: '10XB' is not a byte count")]
    [InlineData("policies:\n  immutabletags:\n    - tags: [v1]\n", "policies.immutabletags[0].repository: is required")]
    [InlineData("policies:\n  immutabletags:\n    - repository: a\n      tags: [\"v/1\"]\n", "policies.immutabletags[0].tags[0]: 'v/1' is not a tag pattern")]
    [InlineData("policies:\n  retention:\n    - repository: a\n      keeplast: 0\n", "policies.retention[0].keeplast: '0' must be at least 1")]
    [InlineData("policies:\n  retention:\n    - repository: a\n      olderthan: 0s\n", "policies.retention[0].olderthan: must be longer than 0s")]
    [InlineData("policies:\n  retention:\n    - repository: /a\n", "policies.retention[0].repository: '/a' is not a repository glob")]
    public void A_bad_policy_names_its_rule_and_key(string section, string expected)
    {
        Assert.StartsWith(expected, Loading.Error(Loading.Minimal + section), StringComparison.Ordinal);
    }

    private sealed class RuleComparer<T>(Func<T, string> key) : IEqualityComparer<T>
    {
        public bool Equals(T? x, T? y) => x is not null && y is not null && key(x) == key(y);

        public int GetHashCode(T obj) => key(obj).GetHashCode(StringComparison.Ordinal);
    }
}
