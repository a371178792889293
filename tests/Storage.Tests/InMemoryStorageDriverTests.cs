
namespace RegistryCloud.Storage.Tests;

public sealed class InMemoryStorageDriverTests : StorageDriverSuite
{
    private readonly InMemoryStorageDriver _driver = new();

    protected override IStorageDriver Driver => _driver;

    [Fact]
    public void The_in_memory_driver_has_no_local_files()
    {
        Assert.Null(_driver.GetLocalFilePath("/any/path"));
    }
}
