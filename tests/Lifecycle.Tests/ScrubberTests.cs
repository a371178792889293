using System.Text;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Lifecycle.Scrub;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Tests;

/// <summary>
/// The scrub re-hashes every blob: one whose bytes do not match its digest leaves the content store
/// for the quarantine (and is reported), good ones are untouched, and a good copy committed over a
/// bad one just before the move is put back.
/// </summary>
public sealed class ScrubberTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryStorageDriver _driver;
    private readonly RegistryLayout _layout;

    public ScrubberTests()
    {
        _driver = new InMemoryStorageDriver(_time);
        _layout = new RegistryLayout(_driver);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_blob_whose_bytes_do_not_match_its_digest_is_quarantined_and_reported_and_good_blobs_stay()
    {
        var good = await _layout.BlobAsync("app", "good bytes");
        var bad = await CorruptBlobAsync("the pushed bytes", "bit rot");
        var quarantined = new List<(Digest, long)>();
        var lines = new List<string>();

        var report = await new Scrubber(_driver, _time, lines.Add, (digest, size, _) =>
        {
            quarantined.Add((digest, size));
            return ValueTask.CompletedTask;
        }).RunAsync(new ScrubOptions(), Token);

        Assert.Equal((2, 1, 1), (report.Checked, report.Mismatched, report.Quarantined));
        Assert.Equal([(bad, "bit rot".Length)], quarantined);
        Assert.False(await _layout.HasBlobAsync(bad));
        Assert.Equal("bit rot", Encoding.UTF8.GetString((await _driver.GetContentAsync(RegistryPaths.Quarantined(bad, _time.GetUtcNow()), Token))!));
        Assert.True(await _layout.HasBlobAsync(good));
        Assert.Contains(lines, line => line.StartsWith($"blob {bad} does not match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dry_run_reports_the_mismatch_and_moves_nothing()
    {
        var bad = await CorruptBlobAsync("pushed", "changed");

        var report = await new Scrubber(_driver, _time).RunAsync(new ScrubOptions { DryRun = true }, Token);

        Assert.Equal((1, 0), (report.Mismatched, report.Quarantined));
        Assert.True(await _layout.HasBlobAsync(bad));
    }

    [Fact]
    public async Task Good_bytes_committed_over_a_bad_copy_just_before_the_move_are_put_back()
    {
        var right = Encoding.UTF8.GetBytes("the pushed bytes");
        var bad = await CorruptBlobAsync("the pushed bytes", "bit rot");
        // A push commits the right bytes just before the scrub moves the bad copy into the quarantine.
        var racing = new InterceptingDriver(_driver);
        racing.BeforeMove = async (_, destination) =>
        {
            if (destination.StartsWith(RegistryPaths.QuarantineRoot, StringComparison.Ordinal))
            {
                racing.BeforeMove = null;
                await _driver.PutContentAsync(RegistryPaths.BlobData(bad), right, Token);
            }
        };

        var report = await new Scrubber(racing, _time).RunAsync(new ScrubOptions(), Token);

        Assert.Equal((1, 0), (report.Mismatched, report.Quarantined));
        Assert.Equal(right, await _driver.GetContentAsync(RegistryPaths.BlobData(bad), Token));
    }

    [Fact]
    public async Task A_rate_limited_scrub_reads_no_faster_than_its_budget()
    {
        await _layout.BlobAsync("app", Enumerable.Repeat((byte)1, 3000).ToArray());
        await _layout.BlobAsync("app", Enumerable.Repeat((byte)2, 3000).ToArray());

        var run = new Scrubber(_driver, _time).RunAsync(new ScrubOptions { BytesPerSecond = 1000 }, Token);

        // 6,000 bytes at 1,000 a second: the run ends only once six seconds have passed on its clock.
        var advanced = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!run.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "the scrub did not finish");
            _time.Advance(TimeSpan.FromSeconds(1));
            advanced++;
            await Task.WhenAny(run, Task.Delay(50, Token));
        }

        Assert.Equal(6000, (await run).Bytes);
        Assert.True(advanced >= 6, $"finished after {advanced} s of budget");
    }

    /// <summary>A blob stored under the digest of <paramref name="pushed"/> whose bytes became <paramref name="stored"/>.</summary>
    private async Task<Digest> CorruptBlobAsync(string pushed, string stored)
    {
        var digest = await _layout.BlobAsync("app", pushed);
        await _driver.PutContentAsync(RegistryPaths.BlobData(digest), Encoding.UTF8.GetBytes(stored), Token);
        return digest;
    }
}
