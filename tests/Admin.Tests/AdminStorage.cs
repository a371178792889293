using RegistryCloud.Configuration;
using RegistryCloud.Hosting;
using RegistryCloud.Storage;
using RegistryCloud.Storage.FileSystem;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Admin.Tests;

/// <summary>
/// Storage the offline verbs are pointed at: the arguments that name it (<c>--root dir</c>, or a
/// config.yml whose storage is s3 or azure), and a driver on it, opened as the tool opens it, for
/// the test to write and inspect the layout.
/// </summary>
internal sealed class AdminStorage : IDisposable
{
    private readonly TemporaryDirectory _directory;

    private AdminStorage(TemporaryDirectory directory, string[] target, IStorageDriver driver)
    {
        _directory = directory;
        Target = target;
        Driver = driver;
        Layout = new RegistryLayout(driver);
    }

    /// <summary>The storage's own directory: the root itself, or where its config.yml is.</summary>
    public string Directory => _directory.Path;

    public string[] Target { get; }

    public IStorageDriver Driver { get; }

    public RegistryLayout Layout { get; }

    /// <summary>A fresh filesystem root, named with <c>--root</c>.</summary>
    public static AdminStorage Root()
    {
        var root = new TemporaryDirectory();
        return new AdminStorage(root, ["--root", root.Path], new FileSystemStorageDriver(root.Path));
    }

    /// <summary>A config.yml naming <paramref name="rootDirectory"/> of the server's bucket.</summary>
    public static AdminStorage S3(S3rverServer server, string rootDirectory) => FromConfiguration($"""
        version: 0.1
        storage:
          s3:
            regionendpoint: {server.Endpoint}
            forcepathstyle: true
            bucket: {S3rverServer.Bucket}
            accesskey: {S3rverServer.TestKey}
            secretkey: {S3rverServer.TestKey}
            secure: false
            rootdirectory: {rootDirectory}
            checksums: whenrequired
        """);

    /// <summary>A config.yml naming a fresh container of the emulator.</summary>
    public static AdminStorage Azure(AzuriteServer server) => FromConfiguration($"""
        version: 0.1
        storage:
          azure:
            connectionstring: '{server.ConnectionString}'
            container: {AzuriteServer.NewContainerName()}
            rootdirectory: /admin
        """);

    public void Dispose()
    {
        (Driver as IDisposable)?.Dispose();
        _directory.Dispose();
    }

    private static AdminStorage FromConfiguration(string yaml)
    {
        var directory = new TemporaryDirectory();
        var path = AdminRun.WriteConfig(directory.Path, yaml);
        var storage = RegistryConfigurationLoader.Load(path, new Dictionary<string, string?>()).Configuration.Storage;
        return new AdminStorage(directory, [path], StorageDrivers.Create(RegistryStorageOptions.From(storage)));
    }
}

/// <summary>Tests of a verb run on one <see cref="AdminStorage"/> each, disposed with the test.</summary>
public abstract class AdminStorageTests : IDisposable
{
    private protected AdminStorageTests(AdminStorage storage)
    {
        Storage = storage;
    }

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Where the tool is pointed, and a driver on the same storage.</summary>
    private protected AdminStorage Storage { get; }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        Storage.Dispose();
    }
}
