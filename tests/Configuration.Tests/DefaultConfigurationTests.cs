
namespace RegistryCloud.Configuration.Tests;

/// <summary>Without a file the registry starts as the registry image does; with one it reads that.</summary>
public sealed class DefaultConfigurationTests
{
    [Fact]
    public void No_file_and_no_environment_give_the_registry_image_defaults()
    {
        var result = RegistryConfigurationLoader.Load(null, Loading.Environment());
        var configuration = result.Configuration;

        Assert.Null(result.SourcePath);
        Assert.Empty(result.Warnings);
        Assert.Equal(StorageConfiguration.FileSystemDriver, configuration.Storage.Driver);
        Assert.Equal("/var/lib/registry", configuration.Storage.FileSystem?.RootDirectory);
        Assert.Equal(BlobDescriptorCacheKind.InMemory, configuration.Storage.BlobDescriptorCache);
        Assert.Equal(":5000", configuration.Http.Addr);
        Assert.Equal(new[] { "nosniff" }, configuration.Http.Headers["X-Content-Type-Options"]);
        Assert.True(configuration.Health.StorageDriver.Enabled);
        Assert.Equal(3, configuration.Health.StorageDriver.Threshold);
        Assert.Equal(RegistryLogLevel.Info, configuration.Log.Level);
        Assert.Null(configuration.Http.Tls);
        Assert.Null(configuration.Redis);
        Assert.Equal(AuthKind.None, configuration.Auth.Kind);
    }

    [Fact]
    public void Defaults_not_written_in_a_file_are_Distributions()
    {
        var configuration = Loading.Configuration("version: 0.1\nstorage:\n  filesystem:\n");

        Assert.Equal("/var/lib/registry", configuration.Storage.FileSystem?.RootDirectory);
        Assert.Equal(100, configuration.Storage.FileSystem?.MaxThreads);
        Assert.True(configuration.Storage.FileSystem?.DirectIo, "RegistryCloud's own storage.filesystem.directio is on by default");
        Assert.Equal(BlobDescriptorCacheKind.None, configuration.Storage.BlobDescriptorCache);
        Assert.Equal(10000, configuration.Storage.BlobDescriptorCacheSize);
        Assert.True(configuration.Storage.UploadPurging.Enabled);
        Assert.Equal(TimeSpan.FromHours(168), configuration.Storage.UploadPurging.Age);
        Assert.Equal(TimeSpan.FromHours(24), configuration.Storage.UploadPurging.Interval);
        Assert.Equal(":5000", configuration.Http.Addr);
        Assert.Equal("tcp", configuration.Http.Net);
        Assert.Empty(configuration.Http.Headers);
        Assert.Equal(1000, configuration.CatalogMaxEntries);
        Assert.Equal(1000, configuration.TagsMaxTags);
        Assert.Equal(4 * 1024 * 1024, configuration.ManifestsMaxSize);
        Assert.Equal("all", configuration.Validation.IndexPlatforms);
    }

    [Fact]
    public void The_defaults_take_environment_overrides()
    {
        var configuration = RegistryConfigurationLoader.Load(
            null,
            Loading.Environment(("REGISTRY_STORAGE_DELETE_ENABLED", "true"), ("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/data"))).Configuration;

        Assert.True(configuration.Storage.DeleteEnabled);
        Assert.Equal("/data", configuration.Storage.FileSystem?.RootDirectory);
    }

    [Fact]
    public void The_configuration_path_variable_names_the_file_when_no_path_is_given()
    {
        var result = RegistryConfigurationLoader.Load(
            null, Loading.Environment((RegistryConfigurationLoader.ConfigurationPathVariable, Loading.SeedPath)));

        Assert.Equal(Loading.SeedPath, result.SourcePath);
        Assert.Equal("/tmp/registry-dev", result.Configuration.Storage.FileSystem?.RootDirectory);
    }

    [Fact]
    public void A_given_path_wins_over_the_configuration_path_variable()
    {
        var other = Path.GetTempFileName();
        try
        {
            File.WriteAllText(other, Loading.Minimal);

            var result = RegistryConfigurationLoader.Load(
                other, Loading.Environment((RegistryConfigurationLoader.ConfigurationPathVariable, Loading.SeedPath)));

            Assert.Equal(other, result.SourcePath);
            Assert.Equal(StorageConfiguration.InMemoryDriver, result.Configuration.Storage.Driver);
        }
        finally
        {
            File.Delete(other);
        }
    }

    [Fact]
    public void A_missing_configuration_file_is_an_error_naming_it_and_where_its_name_came_from()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.yml");

        var direct = Assert.Throws<RegistryConfigurationException>(() => RegistryConfigurationLoader.Load(missing, Loading.Environment()));
        var named = Assert.Throws<RegistryConfigurationException>(() => RegistryConfigurationLoader.Load(
            null, Loading.Environment((RegistryConfigurationLoader.ConfigurationPathVariable, missing))));

        Assert.Equal($"configuration file '{missing}' does not exist", direct.Message);
        Assert.Equal($"configuration file '{missing}' does not exist (from REGISTRY_CONFIGURATION_PATH)", named.Message);
    }
}
