using System.Text;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Configuration;
using RegistryCloud.Lifecycle.Quotas;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Tests;

/// <summary>
/// <c>policies.quotas</c>: what a repository holds (each linked blob once, manifests included),
/// which rule applies, and what a push may add.
/// </summary>
public sealed class QuotaTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryStorageDriver _driver;
    private readonly RegistryLayout _layout;

    public QuotaTests()
    {
        _driver = new InMemoryStorageDriver(_time);
        _layout = new RegistryLayout(_driver);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Usage_counts_every_blob_linked_into_the_repository_once()
    {
        var config = await _layout.BlobAsync("team/app", Bytes(100));
        var layer = await _layout.BlobAsync("team/app", Bytes(1000));
        var first = await _layout.ImageAsync("team/app", "a", config, layer);
        var second = await _layout.ImageAsync("team/app", "b", config);
        await _layout.BlobAsync("other", Bytes(5000));
        // A blob linked both as a layer and as a manifest revision is held once.
        await _driver.PutContentAsync(RegistryPaths.LayerLink("team/app", first), RegistryPaths.LinkContent(first), Token);

        var usage = await Quotas().ReadUsageAsync("team/app", Token);

        Assert.Equal(1100 + await SizeAsync(first) + await SizeAsync(second), usage);
    }

    [Fact]
    public async Task A_push_that_fits_is_admitted_and_one_past_the_quota_is_denied_naming_the_quota_and_the_rule()
    {
        await _layout.BlobAsync("team/app", Bytes(600));
        var quotas = Quotas(("other/*", 10), ("team/*", 1000));

        var fits = await quotas.CheckAsync("team/app", 400, digest: null, Token);
        var over = await quotas.CheckAsync("team/app", 401, digest: null, Token);

        Assert.Null(fits.Denied);
        Assert.Equal(400, fits.Adds);
        Assert.NotNull(over.Denied);
        Assert.Contains("1000 bytes", over.Denied);
        Assert.Contains("policies.quotas[1]", over.Denied);
        Assert.Contains("holds 600 bytes", over.Denied);
    }

    [Fact]
    public async Task A_blob_the_repository_already_holds_adds_nothing_even_at_the_quota()
    {
        var held = await _layout.BlobAsync("team/app", Bytes(1000));
        var quotas = Quotas(("team/*", 1000));

        var again = await quotas.CheckAsync("team/app", 1000, held, Token);
        var other = await quotas.CheckAsync("team/app", 1, Digest.Compute(Bytes(7)), Token);

        Assert.Equal(QuotaDecision.AddsNothing, again);
        Assert.NotNull(other.Denied);
    }

    [Fact]
    public async Task A_blob_another_repository_holds_counts_in_this_one_too()
    {
        var shared = await _layout.BlobAsync("team/a", Bytes(800));
        await _layout.BlobAsync("team/b", Bytes(300));
        var quotas = Quotas(("team/*", 1000));

        Assert.Null((await quotas.CheckAsync("team/a", 200, null, Token)).Denied);
        Assert.NotNull((await quotas.CheckAsync("team/b", 800, shared, Token)).Denied);
        Assert.Null((await quotas.CheckAsync("team/b", 700, null, Token)).Denied);
    }

    [Fact]
    public async Task What_this_process_admitted_counts_at_once_and_storage_is_read_again_after_a_while()
    {
        var quotas = Quotas(("team/*", 1000));
        var admitted = await quotas.CheckAsync("team/app", 700, null, Token);
        quotas.Added("team/app", admitted);

        // Admitted here but not yet read from storage: a second push is weighed against it.
        Assert.NotNull((await quotas.CheckAsync("team/app", 301, null, Token)).Denied);

        // The push never linked anything (it failed later): storage decides once the usage is old.
        _time.Advance(RepositoryQuotas.UsageLifetime);
        Assert.Null((await quotas.CheckAsync("team/app", 1000, null, Token)).Denied);
    }

    [Fact]
    public async Task A_repository_no_rule_covers_is_admitted_without_reading_storage()
    {
        var counting = new InterceptingDriver(_driver);
        var quotas = new RepositoryQuotas(counting, Policies(("team/*", 1)), _time);

        var decision = await quotas.CheckAsync("elsewhere/app", long.MaxValue / 2, Digest.Compute(Bytes(1)), Token);

        Assert.Equal(QuotaDecision.AddsNothing, decision);
        Assert.False(quotas.Applies("elsewhere/app"));
        Assert.Equal(0, counting.Calls);
    }

    private RepositoryQuotas Quotas(params (string Repository, long Bytes)[] rules) => new(_driver, Policies(rules), _time);

    private static PoliciesConfiguration Policies(params (string Repository, long Bytes)[] rules) =>
        new() { Quotas = [.. rules.Select((rule, i) => new QuotaRule(rule.Repository, rule.Bytes, $"policies.quotas[{i}]"))] };

    private async Task<long> SizeAsync(Digest digest) => (await _driver.StatAsync(RegistryPaths.BlobData(digest), Token))!.Size;

    private static byte[] Bytes(int size) => Encoding.UTF8.GetBytes(new string('x', size - 1) + (char)('a' + (size % 26)));
}
