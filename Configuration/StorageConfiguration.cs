namespace RegistryCloud.Configuration;

/// <summary><c>storage</c>: exactly one driver, plus the settings every driver shares.</summary>
public sealed record StorageConfiguration
{
    public const string FileSystemDriver = "filesystem";
    public const string InMemoryDriver = "inmemory";
    public const string S3Driver = "s3";
    public const string AzureDriver = "azure";

    /// <summary>
    /// The driver's key: <c>filesystem</c>, <c>inmemory</c>, <c>s3</c> or <c>azure</c>, or a Distribution
    /// driver RegistryCloud does not implement (<c>gcs</c>, <c>swift</c>, <c>oss</c>), which loads
    /// with a warning and that the storage layer must refuse.
    /// </summary>
    public string Driver { get; init; } = FileSystemDriver;

    public bool IsDriverImplemented => Driver is FileSystemDriver or InMemoryDriver or S3Driver or AzureDriver;

    /// <summary><c>storage.filesystem</c>; null unless <see cref="Driver"/> is filesystem.</summary>
    public FileSystemStorageConfiguration? FileSystem { get; init; } = new();

    /// <summary><c>storage.s3</c>; null unless <see cref="Driver"/> is s3.</summary>
    public S3StorageConfiguration? S3 { get; init; }

    /// <summary><c>storage.azure</c>; null unless <see cref="Driver"/> is azure.</summary>
    public AzureStorageConfiguration? Azure { get; init; }

    /// <summary><c>storage.delete.enabled</c>.</summary>
    public bool DeleteEnabled { get; init; }

    /// <summary><c>storage.redirect.disable</c>.</summary>
    public bool RedirectDisabled { get; init; }

    /// <summary><c>storage.cache.blobdescriptor</c>, or its old name <c>storage.cache.layerinfo</c>.</summary>
    public BlobDescriptorCacheKind BlobDescriptorCache { get; init; }

    /// <summary><c>storage.cache.blobdescriptorsize</c>: entries kept by the in-memory cache; 0 means no limit.</summary>
    public int BlobDescriptorCacheSize { get; init; } = 10000;

    /// <summary><c>storage.maintenance.uploadpurging</c>.</summary>
    public UploadPurgingConfiguration UploadPurging { get; init; } = new();

    /// <summary><c>storage.maintenance.readonly.enabled</c>: refuse every write.</summary>
    public bool ReadOnly { get; init; }

    /// <summary><c>storage.tag.concurrencylimit</c>; 0 means the processor count.</summary>
    public int TagConcurrencyLimit { get; init; }
}

/// <summary><c>storage.filesystem</c>.</summary>
public sealed record FileSystemStorageConfiguration
{
    public const string DefaultRootDirectory = "/var/lib/registry";

    /// <summary><c>storage.filesystem.rootdirectory</c>.</summary>
    public string RootDirectory { get; init; } = DefaultRootDirectory;

    /// <summary><c>storage.filesystem.maxthreads</c>: at least 25, as Distribution requires.</summary>
    public int MaxThreads { get; init; } = 100;

    /// <summary>
    /// <c>storage.filesystem.directio</c> (RegistryCloud's own): blob data written and large
    /// uncached ranges read with <c>O_DIRECT</c>, bypassing the page cache. On by default; turn it
    /// off where the disk is slow and the page cache should keep pulled blobs (a network volume).
    /// </summary>
    public bool DirectIo { get; init; } = true;
}

/// <summary><c>storage.maintenance.uploadpurging</c>: removal of abandoned uploads.</summary>
public sealed record UploadPurgingConfiguration
{
    public bool Enabled { get; init; } = true;

    public TimeSpan Age { get; init; } = TimeSpan.FromHours(168);

    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(24);

    public bool DryRun { get; init; }
}

/// <summary>The values of <c>storage.cache.blobdescriptor</c>.</summary>
public enum BlobDescriptorCacheKind
{
    None,
    InMemory,
    Redis,
}
