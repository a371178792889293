using Microsoft.Extensions.Configuration;

namespace RegistryCloud.Core.Configuration;

/// <summary>
/// Where and how the registry stores its data, read from Distribution's keys
/// (<c>REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY</c>, <c>REGISTRY_STORAGE_DELETE_ENABLED</c>).
/// </summary>
public sealed class RegistryStorageOptions
{
    public const string RootDirectoryKey = "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY";
    public const string DeleteEnabledKey = "REGISTRY_STORAGE_DELETE_ENABLED";
    public const string DriverKey = "REGISTRY_STORAGE";

    /// <summary>Distribution's default root.</summary>
    public const string DefaultRootDirectory = "/var/lib/registry";

    public string Driver { get; init; } = "filesystem";

    public string RootDirectory { get; init; } = DefaultRootDirectory;

    public bool DeleteEnabled { get; init; }

    public static RegistryStorageOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var driver = configuration[DriverKey] ?? "filesystem";
        if (driver is not ("filesystem" or "inmemory"))
        {
            throw new InvalidOperationException($"storage: unsupported driver '{driver}' ({DriverKey}); use filesystem or inmemory.");
        }

        var deleteText = configuration[DeleteEnabledKey];
        var deleteEnabled = false;
        if (deleteText is not null && !bool.TryParse(deleteText, out deleteEnabled))
        {
            throw new InvalidOperationException($"storage.delete.enabled: '{deleteText}' is not true or false ({DeleteEnabledKey}).");
        }

        return new RegistryStorageOptions
        {
            Driver = driver,
            RootDirectory = configuration[RootDirectoryKey] is { Length: > 0 } root ? root : DefaultRootDirectory,
            DeleteEnabled = deleteEnabled,
        };
    }
}
