using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Tests;

/// <summary>
/// The collector against writers that act while it runs: a removal is undone when the content was
/// written again or a request recorded relying on it after the collector looked, and what a run
/// that died had set aside is put back by the next one.
/// </summary>
public sealed class GcProtocolTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly InterceptingDriver _driver;
    private readonly InMemoryGcCoordinator _coordinator;
    private readonly RegistryLayout _layout;

    public GcProtocolTests()
    {
        _driver = new InterceptingDriver(new InMemoryStorageDriver(_time));
        _coordinator = new InMemoryGcCoordinator(_time);
        _layout = new RegistryLayout(_driver);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_blob_a_request_records_relying_on_while_the_collector_removes_it_is_put_back()
    {
        var blob = await _layout.BlobAsync("app", "old layer about to be reused");
        _time.Advance(Grace * 2);

        // A manifest PUT naming the blob records it just as the collector sets the link aside.
        _driver.BeforeMove = async (source, _) =>
        {
            if (source == RegistryPaths.LayerLink("app", blob))
            {
                await _coordinator.RecordUseAsync("app", [blob], Token);
            }
        };
        var report = await CollectAsync();

        Assert.True(await _layout.HasLinkAsync("app", blob));
        Assert.True(await _layout.HasBlobAsync(blob));
        Assert.Equal((0, 0, 1), (report.LinksRemoved, report.BlobsRemoved, report.Restored));
    }

    [Fact]
    public async Task A_use_recorded_before_the_run_within_the_writer_window_protects_as_well()
    {
        var blob = await _layout.BlobAsync("app", "old layer");
        _time.Advance(Grace * 2);
        await _coordinator.RecordUseAsync("app", [blob], Token);
        _time.Advance(GarbageCollector.WriterWindow / 2);

        var report = await CollectAsync();

        Assert.True(await _layout.HasLinkAsync("app", blob) && await _layout.HasBlobAsync(blob));
        Assert.Equal(0, report.LinksRemoved + report.BlobsRemoved);
    }

    [Fact]
    public async Task A_use_recorded_before_the_writer_window_protects_nothing()
    {
        var blob = await _layout.BlobAsync("app", "old layer");
        _time.Advance(Grace * 2);
        await _coordinator.RecordUseAsync("app", [blob], Token);
        _time.Advance(GarbageCollector.WriterWindow * 2);

        var report = await CollectAsync();

        Assert.False(await _layout.HasBlobAsync(blob));
        Assert.Equal((1, 1), (report.LinksRemoved, report.BlobsRemoved));
    }

    [Fact]
    public async Task A_link_written_again_after_the_collector_listed_it_is_put_back()
    {
        var blob = await _layout.BlobAsync("app", "layer pushed again");
        _time.Advance(Grace * 2);

        // The push commits the same blob again and re-links it just before the collector sets the link aside.
        _driver.BeforeMove = async (source, _) =>
        {
            if (source == RegistryPaths.LayerLink("app", blob))
            {
                await _driver.PutContentAsync(source, RegistryPaths.LinkContent(blob), Token);
            }
        };
        var report = await CollectAsync();

        Assert.True(await _layout.HasLinkAsync("app", blob) && await _layout.HasBlobAsync(blob));
        Assert.Equal(0, report.LinksRemoved);
    }

    [Fact]
    public async Task What_a_run_that_died_had_set_aside_is_put_back_by_the_next()
    {
        var config = await _layout.BlobAsync("app", "config");
        var image = await _layout.ImageAsync("app", "v1", config);
        await _driver.MoveAsync(RegistryPaths.LayerLink("app", config), RegistryPaths.LayerLink("app", config) + ".gc", Token);
        await _driver.MoveAsync(RegistryPaths.BlobData(config), RegistryPaths.BlobData(config) + ".gc", Token);
        _time.Advance(Grace * 2);

        var report = await CollectAsync();

        Assert.True(await _layout.HasLinkAsync("app", config) && await _layout.HasBlobAsync(config));
        Assert.True(await _layout.HasRevisionAsync("app", image));
        Assert.Equal(2, report.Restored);
    }

    [Fact]
    public async Task Every_removal_is_told_to_the_caller_with_its_repository_or_none_for_blob_bytes()
    {
        var orphan = await _layout.BlobAsync("app", "orphan");
        _time.Advance(Grace * 2);
        var told = new List<(string?, Digest)>();

        await new GarbageCollector(_driver, _coordinator, _time, removed: (repository, digest, _) =>
        {
            told.Add((repository, digest));
            return ValueTask.CompletedTask;
        }).RunAsync(new GcOptions { Delay = Grace }, Token);

        Assert.Equal([("app", orphan), (null, orphan)], told);
    }

    [Fact]
    public async Task One_run_of_a_job_at_a_time_holds_its_lease_and_another_job_has_its_own()
    {
        await using var scrub = await _coordinator.TryAcquireRunAsync(GcJobs.Scrub, Token);
        Assert.NotNull(scrub);

        await using var first = await _coordinator.TryAcquireRunAsync(GcJobs.Collect, Token);
        Assert.NotNull(first);
        Assert.Null(await _coordinator.TryAcquireRunAsync(GcJobs.Collect, Token));

        await first.DisposeAsync();
        await using var second = await _coordinator.TryAcquireRunAsync(GcJobs.Collect, Token);
        Assert.NotNull(second);
    }

    [Fact]
    public async Task When_the_coordinator_cannot_answer_the_file_set_aside_is_put_back_before_the_run_stops()
    {
        var blob = await _layout.BlobAsync("app", "old layer");
        _time.Advance(Grace * 2);
        var unanswered = new UnansweringCoordinator(_coordinator);

        await Assert.ThrowsAsync<TimeoutException>(() =>
            new GarbageCollector(_driver, unanswered, _time).RunAsync(new GcOptions { Delay = Grace }, Token));

        // Not left set aside for the next run to find: a pull of it in the meantime would fail.
        Assert.True(await _layout.HasLinkAsync("app", blob));
        Assert.True(await _layout.HasBlobAsync(blob));
    }

    private Task<GcReport> CollectAsync() =>
        new GarbageCollector(_driver, _coordinator, _time).RunAsync(new GcOptions { Delay = Grace }, Token);

    /// <summary>A coordinator whose store stops answering once the run has begun: every record look fails.</summary>
    private sealed class UnansweringCoordinator(IGcCoordinator inner) : IGcCoordinator
    {
        public Task RecordUseAsync(string repository, IEnumerable<Digest> digests, CancellationToken cancellationToken) =>
            inner.RecordUseAsync(repository, digests, cancellationToken);

        public Task<bool> WasUsedSinceAsync(string? repository, Digest digest, DateTimeOffset since, CancellationToken cancellationToken) =>
            throw new TimeoutException("Redis did not answer");

        public Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => inner.PruneAsync(before, cancellationToken);

        public Task<GcLease?> TryAcquireRunAsync(string job, CancellationToken cancellationToken) => inner.TryAcquireRunAsync(job, cancellationToken);
    }
}
