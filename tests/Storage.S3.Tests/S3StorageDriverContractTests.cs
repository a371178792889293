using RegistryCloud.Storage.S3.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Storage.Tests;

namespace RegistryCloud.Storage.S3.Tests;

/// <summary>
/// The contract every driver passes, against s3rver, each test under a fresh root directory that
/// two drivers share, as two replicas share a bucket.
/// </summary>
[Collection(S3ContractCollection.Name)]
public sealed class S3StorageDriverContractTests : StorageDriverSuite, IDisposable
{
    private readonly S3StorageDriver _driver;
    private readonly S3StorageDriver _second;

    public S3StorageDriverContractTests(S3rverServer server)
    {
        var options = server.NewOptions();
        _driver = server.NewDriver(options);
        _second = server.NewDriver(options);
    }

    protected override IStorageDriver Driver => _driver;

    protected override IStorageDriver SecondDriver => _second;

    public void Dispose()
    {
        _driver.Dispose();
        _second.Dispose();
    }
}
