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
    private AdminStorage(string[] target, IStorageDriver driver)
    {
        Target = target;
        Driver = driver;
        Layout = new RegistryLayout(driver);
    }

    public string[] Target { get; }

    public IStorageDriver Driver { get; }

    public RegistryLayout Layout { get; }

    public static AdminStorage Root(string directory) => new(["--root", directory], new FileSystemStorageDriver(directory));

    /// <summary>A config.yml in <paramref name="directory"/> naming <paramref name="rootDirectory"/> of the server's bucket.</summary>
    public static AdminStorage S3(S3rverServer server, string directory, string rootDirectory) => FromConfiguration(AdminRun.WriteConfig(directory, $"""
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
        """));

    /// <summary>A config.yml in <paramref name="directory"/> naming a fresh container of the emulator.</summary>
    public static AdminStorage Azure(AzuriteServer server, string directory) => FromConfiguration(AdminRun.WriteConfig(directory, $"""
        version: 0.1
        storage:
          azure:
            connectionstring: '{server.ConnectionString}'
            container: {AzuriteServer.NewContainerName()}
            rootdirectory: /admin
        """));

    public void Dispose() => (Driver as IDisposable)?.Dispose();

    private static AdminStorage FromConfiguration(string path)
    {
        var storage = RegistryConfigurationLoader.Load(path, new Dictionary<string, string?>()).Configuration.Storage;
        return new AdminStorage([path], StorageDrivers.Create(RegistryStorageOptions.From(storage)));
    }
}
