using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Tests;

/// <summary>
/// Mark and sweep over the layout: what is reachable (tags, indexes, referrers) and what is young
/// stays, the rest goes, and the bytes of a blob go only when no repository keeps it.
/// </summary>
public sealed class GarbageCollectorTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryStorageDriver _driver;
    private readonly InMemoryGcCoordinator _coordinator;
    private readonly RegistryLayout _layout;

    public GarbageCollectorTests()
    {
        _driver = new InMemoryStorageDriver(_time);
        _coordinator = new InMemoryGcCoordinator(_time);
        _layout = new RegistryLayout(_driver);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unreferenced_blob_past_the_grace_period_loses_its_link_and_its_bytes_while_a_tagged_image_keeps_everything()
    {
        var config = await _layout.BlobAsync("app", "config");
        var layer = await _layout.BlobAsync("app", "layer");
        var image = await _layout.ImageAsync("app", "v1", config, layer);
        var orphan = await _layout.BlobAsync("app", "orphan bytes");
        _time.Advance(Grace * 2);

        var report = await CollectAsync();

        Assert.True(await _layout.HasRevisionAsync("app", image));
        Assert.True(await _layout.HasLinkAsync("app", config) && await _layout.HasLinkAsync("app", layer));
        Assert.True(await _layout.HasBlobAsync(config) && await _layout.HasBlobAsync(layer) && await _layout.HasBlobAsync(image));
        Assert.False(await _layout.HasLinkAsync("app", orphan));
        Assert.False(await _layout.HasBlobAsync(orphan));
        Assert.Equal((1, 1, "orphan bytes".Length), (report.LinksRemoved, report.BlobsRemoved, report.BytesReclaimed));
        Assert.Equal(0, report.Errors);
    }

    [Fact]
    public async Task A_run_reports_the_blobs_and_bytes_the_store_holds_once_it_is_done()
    {
        var config = await _layout.BlobAsync("app", "config");
        var layer = await _layout.BlobAsync("app", "layer");
        var image = await _layout.ImageAsync("app", "v1", config, layer);
        await _layout.BlobAsync("app", "orphan bytes");
        _time.Advance(Grace * 2);
        var imageSize = (await _driver.StatAsync(RegistryPaths.BlobData(image), Token))!.Size;

        var report = await CollectAsync();

        Assert.Equal(3, report.StoredBlobs);
        Assert.Equal("config".Length + "layer".Length + imageSize, report.StoredBytes);
    }

    [Fact]
    public async Task Content_younger_than_the_grace_period_is_kept_whether_anything_references_it_or_not()
    {
        var old = await _layout.BlobAsync("app", "old orphan");
        _time.Advance(Grace * 2);
        var young = await _layout.BlobAsync("app", "a layer whose manifest is not pushed yet");
        var untagged = await _layout.ManifestAsync("app", null, """{"schemaVersion":2,"layers":[]}""");
        _time.Advance(Grace / 2);

        await CollectAsync(new GcOptions { Delay = Grace, DeleteUntagged = true });

        Assert.False(await _layout.HasBlobAsync(old));
        Assert.True(await _layout.HasLinkAsync("app", young) && await _layout.HasBlobAsync(young));
        Assert.True(await _layout.HasRevisionAsync("app", untagged) && await _layout.HasBlobAsync(untagged));
    }

    [Fact]
    public async Task Untagged_manifests_are_kept_by_default_and_go_with_delete_untagged_taking_only_the_blobs_they_alone_held()
    {
        var shared = await _layout.BlobAsync("app", "shared config");
        var oldLayer = await _layout.BlobAsync("app", "old layer");
        var newLayer = await _layout.BlobAsync("app", "new layer");
        var old = await _layout.ImageAsync("app", "latest", shared, oldLayer);
        var current = await _layout.ImageAsync("app", "latest", shared, newLayer);
        _time.Advance(Grace * 2);

        var kept = await CollectAsync();
        Assert.Equal(0, kept.ManifestsRemoved + kept.BlobsRemoved + kept.LinksRemoved);
        Assert.True(await _layout.HasRevisionAsync("app", old));

        var removed = await CollectAsync(new GcOptions { Delay = Grace, DeleteUntagged = true });

        Assert.False(await _layout.HasRevisionAsync("app", old));
        Assert.False(await _layout.HasBlobAsync(old));
        Assert.False(await _layout.HasLinkAsync("app", oldLayer) || await _layout.HasBlobAsync(oldLayer));
        Assert.True(await _layout.HasRevisionAsync("app", current));
        Assert.True(await _layout.HasBlobAsync(shared) && await _layout.HasBlobAsync(newLayer));
        Assert.Equal((1, 2, 1), (removed.ManifestsRemoved, removed.BlobsRemoved, removed.LinksRemoved));
        Assert.Null(await _driver.StatAsync(StoragePath.Parent(RegistryPaths.TagIndexLink("app", "latest", old)), Token));
    }

    [Fact]
    public async Task A_tagged_index_keeps_its_child_manifests_and_their_blobs_when_untagged_manifests_go()
    {
        var amd64Layer = await _layout.BlobAsync("multi", "amd64 layer");
        var armLayer = await _layout.BlobAsync("multi", "arm64 layer");
        var config = await _layout.BlobAsync("multi", "config");
        var amd64 = await _layout.ImageAsync("multi", null, config, amd64Layer);
        var arm = await _layout.ImageAsync("multi", null, config, armLayer);
        var index = await _layout.IndexAsync("multi", "v1", amd64, arm);
        _time.Advance(Grace * 2);

        var report = await CollectAsync(new GcOptions { Delay = Grace, DeleteUntagged = true });

        foreach (var digest in new[] { index, amd64, arm })
        {
            Assert.True(await _layout.HasRevisionAsync("multi", digest));
        }

        Assert.True(await _layout.HasBlobAsync(amd64Layer) && await _layout.HasBlobAsync(armLayer));
        Assert.Equal(0, report.ManifestsRemoved + report.BlobsRemoved + report.LinksRemoved);
    }

    [Fact]
    public async Task A_referrer_of_a_kept_manifest_is_kept_and_a_referrer_of_a_removed_one_goes_with_it()
    {
        var config = await _layout.BlobAsync("signed", "config");
        var kept = await _layout.ImageAsync("signed", "v1", config);
        var dropped = await _layout.ImageAsync("signed", null, await _layout.BlobAsync("signed", "other config"));
        var empty = await _layout.BlobAsync("signed", "{}");
        var signature = await _layout.ReferrerAsync("signed", kept, empty);
        var orphanSignature = await _layout.ReferrerAsync("signed", dropped, empty);
        _time.Advance(Grace * 2);

        await CollectAsync(new GcOptions { Delay = Grace, DeleteUntagged = true });

        Assert.True(await _layout.HasRevisionAsync("signed", signature));
        Assert.False(await _layout.HasRevisionAsync("signed", dropped));
        Assert.False(await _layout.HasRevisionAsync("signed", orphanSignature));
        Assert.Null(await _driver.StatAsync(RegistryPaths.ReferrerDescriptor("signed", dropped, orphanSignature), Token));
        Assert.True(await _layout.HasBlobAsync(empty));
    }

    [Fact]
    public async Task A_blob_two_repositories_hold_keeps_its_bytes_while_either_references_it()
    {
        var config = await _layout.BlobAsync("one", "config");
        var layer = await _layout.BlobAsync("one", "base layer");
        await _layout.BlobAsync("two", "base layer");
        await _layout.ImageAsync("one", "v1", config, layer);
        _time.Advance(Grace * 2);

        var report = await CollectAsync();

        Assert.False(await _layout.HasLinkAsync("two", layer));
        Assert.True(await _layout.HasLinkAsync("one", layer) && await _layout.HasBlobAsync(layer));
        Assert.Equal((1, 0), (report.LinksRemoved, report.BlobsRemoved));
    }

    [Fact]
    public async Task A_dry_run_reports_what_would_go_and_removes_nothing()
    {
        var orphan = await _layout.BlobAsync("app", "orphan");
        var untagged = await _layout.ManifestAsync("app", null, """{"schemaVersion":2,"layers":[]}""");
        _time.Advance(Grace * 2);

        var report = await CollectAsync(new GcOptions { Delay = Grace, DeleteUntagged = true, DryRun = true });

        Assert.True(report.DryRun);
        Assert.Equal((1, 2, 1), (report.ManifestsRemoved, report.BlobsRemoved, report.LinksRemoved));
        Assert.True(await _layout.HasLinkAsync("app", orphan) && await _layout.HasBlobAsync(orphan));
        Assert.True(await _layout.HasRevisionAsync("app", untagged) && await _layout.HasBlobAsync(untagged));
    }

    [Fact]
    public async Task A_Docker_schema1_manifest_keeps_the_layers_its_fsLayers_name()
    {
        var layer = await _layout.BlobAsync("legacy", "schema1 layer");
        await _layout.ManifestAsync("legacy", "old", $$"""{"schemaVersion":1,"name":"legacy","tag":"old","fsLayers":[{"blobSum":"{{layer}}"}]}""");
        _time.Advance(Grace * 2);

        await CollectAsync(new GcOptions { Delay = Grace, DeleteUntagged = true });

        Assert.True(await _layout.HasLinkAsync("legacy", layer) && await _layout.HasBlobAsync(layer));
    }

    [Fact]
    public async Task A_manifest_whose_bytes_are_gone_is_counted_as_an_error_and_kept()
    {
        var config = await _layout.BlobAsync("broken", "config");
        var image = await _layout.ImageAsync("broken", "v1", config);
        await _driver.DeleteAsync(RegistryPaths.BlobData(image), Token);
        _time.Advance(Grace * 2);

        var report = await CollectAsync(new GcOptions { Delay = Grace, DeleteUntagged = true });

        Assert.Equal(1, report.Errors);
        Assert.True(await _layout.HasRevisionAsync("broken", image));
    }

    [Fact]
    public async Task Stale_upload_sessions_go_with_the_run_and_are_counted()
    {
        await _driver.PutContentAsync(RegistryPaths.UploadStartedAt("app", "5b1f1b3e-0000-4000-8000-000000000001"), "2026-11-01T00:00:00Z"u8.ToArray(), Token);
        await _driver.PutContentAsync(RegistryPaths.UploadData("app", "5b1f1b3e-0000-4000-8000-000000000001"), "partial"u8.ToArray(), Token);
        await _driver.PutContentAsync(RegistryPaths.UploadStartedAt("app", "5b1f1b3e-0000-4000-8000-000000000002"), "2026-12-01T07:59:00Z"u8.ToArray(), Token);

        var report = await CollectAsync(new GcOptions { Delay = Grace, UploadAge = TimeSpan.FromDays(7) });

        Assert.Equal(1, report.UploadsPurged);
        Assert.Null(await _driver.StatAsync(RegistryPaths.UploadDirectory("app", "5b1f1b3e-0000-4000-8000-000000000001"), Token));
        Assert.NotNull(await _driver.StatAsync(RegistryPaths.UploadDirectory("app", "5b1f1b3e-0000-4000-8000-000000000002"), Token));
    }

    [Fact]
    public async Task The_output_follows_Distributions_garbage_collect()
    {
        var config = await _layout.BlobAsync("app", "config");
        var image = await _layout.ImageAsync("app", "v1", config);
        var orphan = await _layout.BlobAsync("app", "orphan");
        _time.Advance(Grace * 2);
        var lines = new List<string>();

        await new GarbageCollector(_driver, _coordinator, _time, lines.Add).RunAsync(new GcOptions { Delay = Grace }, Token);

        Assert.Equal("app", lines[0]);
        Assert.Contains($"app: marking manifest {image} ", lines);
        Assert.Contains($"app: marking blob {config}", lines);
        Assert.Contains($"\n2 blobs marked, 1 blobs and 0 manifests eligible for deletion", lines);
        Assert.Contains($"blob eligible for deletion: {orphan}", lines);
        Assert.Contains($"app: layer link eligible for deletion: {orphan}", lines);
    }

    private Task<GcReport> CollectAsync(GcOptions? options = null) =>
        new GarbageCollector(_driver, _coordinator, _time).RunAsync(options ?? new GcOptions { Delay = Grace }, Token);
}
