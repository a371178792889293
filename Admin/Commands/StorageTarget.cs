using RegistryCloud.Configuration;
using RegistryCloud.Hosting;
using RegistryCloud.Storage;
using RegistryCloud.Storage.FileSystem;

namespace RegistryCloud.Admin.Commands;

/// <summary>
/// The storage an offline verb works on: a filesystem root given with <c>--root</c>, or the
/// storage a configuration names — a filesystem root, an s3 bucket or an azure container —
/// opened by the services' own driver factory (<see cref="StorageDrivers"/>).
/// </summary>
internal sealed class StorageTarget : IDisposable
{
    private readonly string? _section;

    private StorageTarget(IStorageDriver driver, RegistryConfiguration? configuration, string? section)
    {
        Driver = driver;
        Configuration = configuration;
        _section = section;
    }

    public IStorageDriver Driver { get; }

    /// <summary>The loaded configuration; null with <c>--root</c>.</summary>
    public RegistryConfiguration? Configuration { get; }

    /// <summary>
    /// Opens <paramref name="root"/>, else the storage of the configuration at <paramref name="path"/>;
    /// <paramref name="purpose"/> names what the verb would do, for the refusal of the in-memory driver.
    /// </summary>
    public static StorageTarget Open(AdminConsole console, string? path, string? root, string purpose)
    {
        if (root is not null)
        {
            return new StorageTarget(new FileSystemStorageDriver(ConfigurationFile.ExistingDirectory("--root", root)), null, null);
        }

        var configuration = ConfigurationFile.Load(console, path).Configuration;
        var storage = configuration.Storage;
        switch (storage)
        {
            case { FileSystem: { } fileSystem }:
                // The driver would create a missing root; a tool must not, and a typo should say so.
                ConfigurationFile.ExistingDirectory("storage.filesystem.rootdirectory", fileSystem.RootDirectory);
                return new StorageTarget(StorageDrivers.Create(RegistryStorageOptions.From(storage)), configuration, null);
            case { Driver: StorageConfiguration.InMemoryDriver }:
                throw new AdminException($"storage.inmemory: the in-memory driver keeps nothing on disk; there is nothing to {purpose}");
            default:
                // s3 or azure; any other driver is refused by RegistryStorageOptions, naming it.
                return new StorageTarget(StorageDrivers.Create(RegistryStorageOptions.From(storage)), configuration, $"storage.{storage.Driver}");
        }
    }

    /// <summary>
    /// Runs the verb on the storage. A failure of object storage (unreachable, credentials refused,
    /// no such bucket or container) is one <c>error:</c> line naming the section, not a stack trace.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<IStorageDriver, Task<T>> verb)
    {
        try
        {
            return await verb(Driver).ConfigureAwait(false);
        }
        catch (Exception exception) when (_section is not null && exception is not (OperationCanceledException or AdminException))
        {
            throw new AdminException($"{_section}: {exception.Message}", exception);
        }
    }

    public void Dispose() => (Driver as IDisposable)?.Dispose();
}
