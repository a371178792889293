namespace RegistryCloud.Lifecycle.Gc;

/// <summary>How one collection runs.</summary>
public sealed record GcOptions
{
    /// <summary>
    /// The grace period: nothing written, linked or tagged more recently than this before the run
    /// began is removed, whether anything references it or not (a push uploads its blobs before the
    /// manifest that references them). zot's <c>gcDelay</c>.
    /// </summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Removes manifests no tag reaches (and that no reachable index or subject keeps), as Distribution's <c>--delete-untagged</c>.</summary>
    public bool DeleteUntagged { get; init; }

    /// <summary>Finds and reports everything, removes nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Upload sessions started longer ago than this are removed too; null leaves them.</summary>
    public TimeSpan? UploadAge { get; init; }

    /// <summary>
    /// The share of the time the run works, in percent (<c>gc.dutycycle</c>): online it rests the
    /// rest, so pushes going on keep the machine. 100 (offline) never rests.
    /// </summary>
    public int DutyCycle { get; init; } = 100;

    /// <summary>
    /// <c>policies</c>: retention removes tags before the marking (immutable tags never), so what
    /// only they kept becomes garbage like any other.
    /// </summary>
    public RegistryCloud.Configuration.PoliciesConfiguration Policies { get; init; } = new();
}

/// <summary>What one collection found and did.</summary>
public sealed record GcReport
{
    /// <summary>When the run began, by the collector's clock.</summary>
    public DateTimeOffset StartedAt { get; init; }

    public TimeSpan Duration { get; init; }
    public int Repositories { get; init; }
    public int ManifestsMarked { get; init; }
    public int ManifestsRemoved { get; init; }
    public int BlobsMarked { get; init; }
    public int BlobsRemoved { get; init; }
    public int LinksRemoved { get; init; }
    public long BytesReclaimed { get; init; }
    public int UploadsPurged { get; init; }

    /// <summary>Tags retention removed.</summary>
    public int TagsRemoved { get; init; }

    /// <summary>Removals undone because a request relied on the content meanwhile.</summary>
    public int Restored { get; init; }

    /// <summary>Things the run could not read or remove (a manifest whose bytes are gone); each is logged and kept.</summary>
    public int Errors { get; init; }

    /// <summary>
    /// Blob data the store holds once the run is done (before it, on a dry run), counted as the
    /// blob sweep passes each blob: what "storage used" reports. Uploads in progress are not counted.
    /// </summary>
    public long StoredBlobs { get; init; }

    /// <summary>The bytes of <see cref="StoredBlobs"/>.</summary>
    public long StoredBytes { get; init; }

    public bool DryRun { get; init; }
}
