using System.Diagnostics;
using RegistryCloud.Lifecycle.Uploads;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Gc;

/// <summary>
/// Mark and sweep over Distribution's layout, safe while the registry takes pushes. Repository by
/// repository it marks every manifest reachable from a tag (or, keeping untagged manifests, every
/// revision), from a reachable index, or as a referrer of a reachable manifest, and the blobs they
/// name; then removes that repository's layer links (and, with <see cref="GcOptions.DeleteUntagged"/>,
/// manifest revisions) nothing marked. Last, it removes blob data no repository keeps.
/// <para>
/// Nothing younger than <see cref="GcOptions.Delay"/> before the run began is removed, and every
/// removal follows the coordinator's protocol (<see cref="IGcCoordinator"/>): the file is renamed
/// aside, and put back if it was written again meanwhile or a request recorded relying on it;
/// only then is it deleted. Stray renamed files of a run that died are put back by the next.
/// </para>
/// </summary>
/// <param name="emit">Distribution's <c>garbage-collect</c> output, a line at a time.</param>
/// <param name="removed">Told of each link (with its repository) or blob data (without) removed: where caches are forgotten.</param>
public sealed partial class GarbageCollector(
    IStorageDriver driver,
    IGcCoordinator coordinator,
    TimeProvider time,
    Action<string>? emit = null,
    Func<string?, Digest, CancellationToken, ValueTask>? removed = null)
{
    /// <summary>
    /// How long a writer's request may take between recording what it relies on and committing:
    /// records that much older than the run's start still protect what they name.
    /// </summary>
    public static readonly TimeSpan WriterWindow = TimeSpan.FromMinutes(10);

    /// <summary>The suffix of a file set aside for removal.</summary>
    internal const string TombstoneSuffix = ".gc";

    /// <summary>Manifests larger than this are not manifests (BlobService stores none larger).</summary>
    private const long MaxManifestSize = 16 * 1024 * 1024;

    public async Task<GcReport> RunAsync(GcOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var started = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var run = new Run(this, options, started);
        if (!options.DryRun)
        {
            await coordinator.PruneAsync(run.RecordsSince, cancellationToken);
        }

        await foreach (var repository in RepositoryWalker.WalkAsync(driver, cancellationToken))
        {
            await run.Pacer.PaceAsync(cancellationToken);
            run.Repositories++;
            Emit(repository.Name);
            await new RepositorySweep(run, repository.Name).RunAsync(cancellationToken);
            if (repository.HasUploads && options.UploadAge is { } age)
            {
                var purged = await UploadPurge.PurgeAsync(driver, repository.Name, started - age, options.DryRun, Emit, cancellationToken);
                run.UploadsPurged += purged.Purged;
            }
        }

        await SweepBlobsAsync(run, cancellationToken);
        return run.Report(clock.Elapsed);
    }

    private IStorageDriver Driver => driver;

    private TimeProvider Time => time;

    private void Emit(string line) => emit?.Invoke(line);

    /// <summary>Blob data that no repository kept and that is old enough is removed.</summary>
    private async Task SweepBlobsAsync(Run run, CancellationToken cancellationToken)
    {
        var eligible = new List<(Digest Digest, string Path)>();
        await foreach (var (directory, named) in BlobDirectories.ListAsync(driver, run.Pacer, cancellationToken))
        {
            // Every blob's data is looked at, kept ones too: a run that died may have set it aside.
            var data = directory + "/data";
            if (named is { } digest && await ExistsAsync(run, data, cancellationToken) is { } size)
            {
                // What the store holds, counted as the sweep passes (the status page's storage used).
                run.StoredBlobs++;
                run.StoredBytes += size;
                if (!run.Live.Contains(digest))
                {
                    eligible.Add((digest, data));
                }
            }
        }

        Emit($"\n{run.Live.Count} blobs marked, {eligible.Count} blobs and {run.ManifestsEligible} manifests eligible for deletion");
        foreach (var (digest, path) in eligible)
        {
            await run.Pacer.PaceAsync(cancellationToken);
            Emit($"blob eligible for deletion: {digest}");
            var outcome = await RemoveAsync(run, path, repository: null, digest, cancellationToken);
            if (outcome.Removed)
            {
                run.BlobsRemoved++;
                run.BytesReclaimed += outcome.Size;
                if (!run.Options.DryRun)
                {
                    run.StoredBlobs--;
                    run.StoredBytes -= outcome.Size;
                }
            }
        }
    }

    /// <summary>
    /// Removes one file by the coordinator's protocol: set aside, then put back when it turns out
    /// to be young (written again meanwhile) or relied on by a request since the writer window
    /// before the run; else deleted. Only a dry run's count when <see cref="GcOptions.DryRun"/>.
    /// </summary>
    private async Task<Removal> RemoveAsync(Run run, string path, string? repository, Digest digest, CancellationToken cancellationToken)
    {
        var tombstone = path + TombstoneSuffix;
        try
        {
            if (await driver.StatAsync(path, cancellationToken) is not { IsDirectory: false } entry
                || entry.ModifiedAt >= run.KeepAfter)
            {
                return default;
            }

            if (run.Options.DryRun)
            {
                return new Removal(true, entry.Size);
            }

            if (!await driver.MoveAsync(path, tombstone, cancellationToken))
            {
                return default;
            }

            // What was set aside may be a copy written after the listing; and a request may have
            // recorded relying on it since: either way it goes back.
            if (await StillRemovableAsync(run, path, tombstone, repository, digest, cancellationToken) is not { } setAside)
            {
                // Not cancelled with the run: a put-back half done would leave the file unreadable.
                await driver.MoveAsync(tombstone, path, CancellationToken.None);
                run.Restored++;
                return default;
            }

            await driver.DeleteAsync(tombstone, cancellationToken);

            // Its folder (a blob's, a link's) goes too once empty; a write into it meanwhile keeps it.
            await driver.DeleteIfEmptyAsync(StoragePath.Parent(path), cancellationToken);
            if (removed is not null)
            {
                await removed(repository, digest, cancellationToken);
            }

            return new Removal(true, setAside.Size);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            run.Errors++;
            Emit($"failed to remove {path}: {error.Message}");
            return default;
        }
    }

    /// <summary>
    /// The set-aside file's entry when it may go; null when it must be put back. When the answer
    /// cannot be had (the coordinator's Redis down, the lease lost), the file is put back before
    /// the run stops: no one knows whether a request relies on it, and a blob left set aside until
    /// the next run would fail pulls of images answered 201.
    /// </summary>
    private async Task<StorageEntry?> StillRemovableAsync(Run run, string path, string tombstone, string? repository, Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            return await driver.StatAsync(tombstone, cancellationToken) is { } setAside
                && setAside.ModifiedAt < run.KeepAfter
                && !await coordinator.WasUsedSinceAsync(repository, digest, run.RecordsSince, cancellationToken)
                    ? setAside
                    : null;
        }
        catch (Exception)
        {
            await driver.MoveAsync(tombstone, path, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// The size of a file, or null when it is not there. One set aside by a run that died before it
    /// finished is put back first: that run never decided whether it could go.
    /// </summary>
    private async Task<long?> ExistsAsync(Run run, string path, CancellationToken cancellationToken)
    {
        if (await driver.StatAsync(path, cancellationToken) is { IsDirectory: false } entry)
        {
            return entry.Size;
        }

        var tombstone = path + TombstoneSuffix;
        if (run.Options.DryRun || await driver.StatAsync(tombstone, cancellationToken) is not { IsDirectory: false } setAside)
        {
            return null;
        }

        await driver.MoveAsync(tombstone, path, cancellationToken);
        run.Restored++;
        return setAside.Size;
    }

    private readonly record struct Removal(bool Removed, long Size);

    /// <summary>The state of one run, shared by its repository sweeps.</summary>
    private sealed class Run(GarbageCollector collector, GcOptions options, DateTimeOffset started)
    {
        public GarbageCollector Collector { get; } = collector;
        public GcOptions Options { get; } = options;

        /// <summary>When the run began: the "now" of retention.</summary>
        public DateTimeOffset Started { get; } = started;

        public Retention.TagRetention Retention { get; } = new(options.Policies);

        public Pacer Pacer { get; } = new(options.DutyCycle, collector.Time);

        /// <summary>Anything written at or after this is young and kept.</summary>
        public DateTimeOffset KeepAfter { get; } = started - options.Delay;

        /// <summary>Records at or after this protect what they name.</summary>
        public DateTimeOffset RecordsSince { get; } = started - WriterWindow;

        /// <summary>Digests some repository keeps (marked, young, or put back): their data stays.</summary>
        public DigestSet Live { get; } = new();

        public int Repositories { get; set; }
        public int ManifestsMarked { get; set; }
        public int ManifestsEligible { get; set; }
        public int ManifestsRemoved { get; set; }
        public int LinksRemoved { get; set; }
        public int BlobsRemoved { get; set; }
        public long BytesReclaimed { get; set; }
        public int UploadsPurged { get; set; }
        public int TagsRemoved { get; set; }
        public int Restored { get; set; }
        public int Errors { get; set; }
        public long StoredBlobs { get; set; }
        public long StoredBytes { get; set; }

        public GcReport Report(TimeSpan duration) => new()
        {
            StartedAt = Started,
            Duration = duration,
            Repositories = Repositories,
            ManifestsMarked = ManifestsMarked,
            ManifestsRemoved = ManifestsRemoved,
            BlobsMarked = Live.Count,
            BlobsRemoved = BlobsRemoved,
            LinksRemoved = LinksRemoved,
            BytesReclaimed = BytesReclaimed,
            UploadsPurged = UploadsPurged,
            TagsRemoved = TagsRemoved,
            Restored = Restored,
            Errors = Errors,
            StoredBlobs = StoredBlobs,
            StoredBytes = StoredBytes,
            DryRun = Options.DryRun,
        };
    }
}
