namespace RegistryCloud.Configuration;

/// <summary>
/// What the storage layer needs of <c>storage</c>: the driver, its root and whether deletes are
/// allowed. Distribution's variables set them (<c>REGISTRY_STORAGE</c>,
/// <c>REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY</c>, <c>REGISTRY_STORAGE_DELETE_ENABLED</c>).
/// </summary>
public sealed class RegistryStorageOptions
{
    public const string RootDirectoryKey = "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY";
    public const string DeleteEnabledKey = "REGISTRY_STORAGE_DELETE_ENABLED";
    public const string DriverKey = "REGISTRY_STORAGE";

    public string Driver { get; init; } = StorageConfiguration.FileSystemDriver;

    public string RootDirectory { get; init; } = FileSystemStorageConfiguration.DefaultRootDirectory;

    public bool DeleteEnabled { get; init; }

    /// <summary><c>storage.filesystem.directio</c>: blob data bypasses the page cache where the file system allows.</summary>
    public bool DirectIo { get; init; } = true;

    /// <summary><c>storage.s3</c>, when the driver is s3.</summary>
    public S3StorageConfiguration? S3 { get; init; }

    /// <summary><c>storage.azure</c>, when the driver is azure.</summary>
    public AzureStorageConfiguration? Azure { get; init; }

    public static RegistryStorageOptions From(StorageConfiguration storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (!storage.IsDriverImplemented)
        {
            throw new RegistryConfigurationException(
                $"storage.{storage.Driver}: RegistryCloud does not implement this driver yet; use filesystem, inmemory, s3 or azure.");
        }

        return new RegistryStorageOptions
        {
            Driver = storage.Driver,
            RootDirectory = storage.FileSystem?.RootDirectory ?? FileSystemStorageConfiguration.DefaultRootDirectory,
            DeleteEnabled = storage.DeleteEnabled,
            DirectIo = storage.FileSystem?.DirectIo ?? true,
            S3 = storage.S3,
            Azure = storage.Azure,
        };
    }
}
