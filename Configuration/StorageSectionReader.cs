namespace RegistryCloud.Configuration;

/// <summary>Reads <c>storage</c>: one driver and the settings every driver shares.</summary>
internal static class StorageSectionReader
{
    private static readonly string[] ImplementedDrivers =
        [StorageConfiguration.FileSystemDriver, StorageConfiguration.InMemoryDriver, StorageConfiguration.S3Driver, StorageConfiguration.AzureDriver];

    // Drivers Distribution ships (or shipped, in 2.x) that RegistryCloud has no implementation of.
    private static readonly string[] KnownDrivers = ["gcs", "swift", "oss"];

    private static readonly string[] CacheKinds = ["inmemory", "redis"];

    public static StorageConfiguration Read(ConfigSection root)
    {
        var storage = root.Section("storage");
        var driver = storage.SingleChoice(ImplementedDrivers.Concat(KnownDrivers), "storage driver")
            ?? throw new RegistryConfigurationException(
                "storage: no storage driver is configured; set storage.filesystem.rootdirectory or storage.inmemory");

        FileSystemStorageConfiguration? fileSystem = null;
        S3StorageConfiguration? s3 = null;
        AzureStorageConfiguration? azure = null;
        if (driver == StorageConfiguration.FileSystemDriver)
        {
            var section = storage.Section(driver);
            fileSystem = new FileSystemStorageConfiguration
            {
                RootDirectory = section.String("rootdirectory") is { Length: > 0 } rootDirectory ? rootDirectory : FileSystemStorageConfiguration.DefaultRootDirectory,
                MaxThreads = section.Int("maxthreads", minimum: 25) ?? 100,
                DirectIo = section.Bool("directio") ?? true,
            };
        }
        else if (driver == StorageConfiguration.S3Driver)
        {
            s3 = S3SectionReader.Read(storage.Section(driver));
        }
        else if (driver == StorageConfiguration.InMemoryDriver)
        {
            // The in-memory driver takes no parameters; any given are reported as unknown keys.
            storage.Section(driver);
        }
        else if (driver == StorageConfiguration.AzureDriver)
        {
            azure = AzureStorageSectionReader.Read(storage.Section(driver));
        }
        else
        {
            storage.NotImplemented(driver, $"the {driver} storage driver");
        }

        var tag = storage.Section("tag");
        var tagConcurrencyLimit = tag.Int("concurrencylimit") ?? 0;
        if (tagConcurrencyLimit > 0)
        {
            // Distribution reads every tag's link to find a deleted manifest's tags, this many at a time.
            tag.NotApplied("concurrencylimit", "a manifest's tags are found through RegistryCloud's index of tags by digest, without reading every tag");
        }

        var maintenance = storage.Section("maintenance");
        return new StorageConfiguration
        {
            Driver = driver,
            FileSystem = fileSystem,
            S3 = s3,
            Azure = azure,
            DeleteEnabled = storage.Section("delete").Bool("enabled") ?? false,
            RedirectDisabled = storage.Section("redirect").Bool("disable") ?? false,
            BlobDescriptorCache = ReadCacheKind(storage.Section("cache"), out var cacheSize),
            BlobDescriptorCacheSize = cacheSize,
            UploadPurging = ReadUploadPurging(maintenance.Section("uploadpurging")),
            ReadOnly = maintenance.Section("readonly").Bool("enabled") ?? false,
            TagConcurrencyLimit = tagConcurrencyLimit,
        };
    }

    private static BlobDescriptorCacheKind ReadCacheKind(ConfigSection cache, out int size)
    {
        var current = cache.OneOf("blobdescriptor", CacheKinds);
        var legacy = cache.OneOf("layerinfo", CacheKinds);
        if (current is not null && legacy is not null && current != legacy)
        {
            throw cache.Error("layerinfo", $"'{legacy}' contradicts {cache.PathOf("blobdescriptor")} '{current}' (layerinfo is its old name; keep one)");
        }

        size = cache.Int("blobdescriptorsize") ?? 10000;
        return (current ?? legacy) switch
        {
            "inmemory" => BlobDescriptorCacheKind.InMemory,
            "redis" => BlobDescriptorCacheKind.Redis,
            _ => BlobDescriptorCacheKind.None,
        };
    }

    private static UploadPurgingConfiguration ReadUploadPurging(ConfigSection purging)
    {
        var defaults = new UploadPurgingConfiguration();
        return new UploadPurgingConfiguration
        {
            Enabled = purging.Bool("enabled") ?? defaults.Enabled,
            Age = purging.Duration("age") ?? defaults.Age,
            Interval = purging.Duration("interval") ?? defaults.Interval,
            DryRun = purging.Bool("dryrun") ?? defaults.DryRun,
        };
    }
}
