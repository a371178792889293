using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Configuration;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Tests;

/// <summary>
/// <c>policies.retention</c> applied by the collector: old tags and tags beyond the newest N go,
/// tags kept by pattern, by a recent pull or by immutability stay, and what only removed tags held
/// becomes garbage (with deleteuntagged).
/// </summary>
public sealed class RetentionTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryStorageDriver _driver;
    private readonly RegistryLayout _layout;

    public RetentionTests()
    {
        _driver = new InMemoryStorageDriver(_time);
        _layout = new RegistryLayout(_driver);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tags_older_than_the_rule_go_with_what_only_they_held_and_kept_tags_stay()
    {
        var old = await ImageAsync("ci/app", "build-1", "old layer");
        var kept = await ImageAsync("ci/app", "latest", "kept by pattern");
        _time.Advance(Day * 40);
        var recent = await ImageAsync("ci/app", "build-2", "recent layer");
        _time.Advance(Day);

        var report = await CollectAsync(Rule("ci/*", olderThan: Day * 30, keepTags: ["latest"]));

        Assert.Equal(1, report.TagsRemoved);
        Assert.Equal(["build-2", "latest"], await TagsAsync("ci/app"));
        Assert.False(await _layout.HasRevisionAsync("ci/app", old.Manifest));
        Assert.False(await _layout.HasBlobAsync(old.Layer));
        Assert.True(await _layout.HasRevisionAsync("ci/app", kept.Manifest) && await _layout.HasRevisionAsync("ci/app", recent.Manifest));
    }

    [Fact]
    public async Task Keep_last_keeps_the_most_recently_pushed_tags()
    {
        foreach (var i in Enumerable.Range(1, 5))
        {
            await ImageAsync("ci/app", $"build-{i}", $"layer {i}");
            _time.Advance(TimeSpan.FromHours(1));
        }

        await CollectAsync(Rule("ci/**", keepLast: 2));

        Assert.Equal(["build-4", "build-5"], await TagsAsync("ci/app"));
    }

    [Fact]
    public async Task A_tag_pulled_within_the_window_stays_however_old()
    {
        await ImageAsync("ci/app", "old-but-used", "used layer");
        await ImageAsync("ci/app", "old-unused", "unused layer");
        _time.Advance(Day * 60);
        await _driver.PutContentAsync(RegistryPaths.TagPulledAt("ci/app", "old-but-used"), "x"u8.ToArray(), Token);
        _time.Advance(Day);

        await CollectAsync(Rule("ci/app", olderThan: Day * 30, keepPulledWithin: Day * 7));

        Assert.Equal(["old-but-used"], await TagsAsync("ci/app"));
    }

    [Fact]
    public async Task An_immutable_tag_is_never_removed_by_retention()
    {
        await ImageAsync("prod/app", "v1", "release layer");
        await ImageAsync("prod/app", "scratch", "scratch layer");
        _time.Advance(Day * 100);
        var policies = new PoliciesConfiguration
        {
            Retention = Rule("prod/**", olderThan: Day).Retention,
            ImmutableTags = [new ImmutableTagsRule("prod/**", ["v*"], "policies.immutabletags[0]")],
        };

        await CollectAsync(policies);

        Assert.Equal(["v1"], await TagsAsync("prod/app"));
    }

    [Fact]
    public async Task A_tag_pushed_again_while_the_collector_removes_it_stays()
    {
        var first = await ImageAsync("ci/app", "build", "first");
        _time.Advance(Day * 40);
        var second = await ImageAsync("ci/app", "other", "second");
        // A push moves the tag just as the collector sets its current link aside.
        var racing = new InterceptingDriver(_driver);
        racing.BeforeMove = async (source, _) =>
        {
            if (source == RegistryPaths.TagCurrentLink("ci/app", "build"))
            {
                racing.BeforeMove = null;
                await _driver.PutContentAsync(source, RegistryPaths.LinkContent(second.Manifest), Token);
            }
        };
        var report = await new GarbageCollector(racing, new InMemoryGcCoordinator(_time), _time)
            .RunAsync(new GcOptions { Delay = TimeSpan.Zero, Policies = Rule("ci/app", olderThan: Day * 30) }, Token);

        Assert.Equal(0, report.TagsRemoved);
        Assert.Equal(second.Manifest, RegistryPaths.ParseLink((await _driver.GetContentAsync(RegistryPaths.TagCurrentLink("ci/app", "build"), Token))!));
        Assert.True(await _layout.HasRevisionAsync("ci/app", first.Manifest));
    }

    [Fact]
    public async Task A_dry_run_counts_the_tags_and_removes_none()
    {
        await ImageAsync("ci/app", "build-1", "layer");
        _time.Advance(Day * 40);

        var report = await CollectAsync(Rule("ci/app", olderThan: Day), dryRun: true);

        Assert.Equal(1, report.TagsRemoved);
        Assert.Equal(["build-1"], await TagsAsync("ci/app"));
    }

    private static PoliciesConfiguration Rule(string repository, int? keepLast = null, TimeSpan? olderThan = null, TimeSpan? keepPulledWithin = null, string[]? keepTags = null) =>
        new() { Retention = [new RetentionRule(repository, keepLast, keepTags ?? [], olderThan, keepPulledWithin, "policies.retention[0]")] };

    private Task<GcReport> CollectAsync(PoliciesConfiguration policies, bool dryRun = false) =>
        new GarbageCollector(_driver, new InMemoryGcCoordinator(_time), _time).RunAsync(
            new GcOptions { Delay = TimeSpan.FromHours(1), DeleteUntagged = true, DryRun = dryRun, Policies = policies }, Token);

    private async Task<(Digest Manifest, Digest Layer)> ImageAsync(string repository, string tag, string layer)
    {
        var config = await _layout.BlobAsync(repository, "config of " + tag);
        var layerDigest = await _layout.BlobAsync(repository, layer);
        return (await _layout.ImageAsync(repository, tag, config, layerDigest), layerDigest);
    }

    private async Task<IReadOnlyList<string>> TagsAsync(string repository)
    {
        var tags = new List<string>();
        foreach (var folder in await _driver.ListAsync(RegistryPaths.TagsDirectory(repository), Token))
        {
            if (await _driver.StatAsync(RegistryPaths.TagCurrentLink(repository, StoragePath.FileName(folder)), Token) is not null)
            {
                tags.Add(StoragePath.FileName(folder));
            }
        }

        return [.. tags.Order(StringComparer.Ordinal)];
    }
}
