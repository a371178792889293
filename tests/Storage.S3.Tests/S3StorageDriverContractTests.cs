using RegistryCloud.Storage.S3.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Storage.Tests;

namespace RegistryCloud.Storage.S3.Tests;

/// <summary>The contract every driver passes, against s3rver, each test under a fresh root directory.</summary>
[Collection(S3ContractCollection.Name)]
public sealed class S3StorageDriverContractTests(S3rverServer server) : StorageDriverSuite, IDisposable
{
    private readonly S3StorageDriver _driver = server.NewDriver();

    protected override IStorageDriver Driver => _driver;

    public void Dispose() => _driver.Dispose();
}
