namespace RegistryCloud.Configuration.Tests;

/// <summary><c>storage.azure</c>: Distribution's keys, RegistryCloud's own, and errors that name the key.</summary>
public sealed class AzureStorageSectionTests
{
    // Not a real key: any base64 reads as one.
    private const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHM=";

    [Fact]
    public void Distributions_shared_key_configuration_is_read()
    {
        var storage = Loading.Configuration($"version: 0.1\nstorage:\n  azure:\n    accountname: acme\n    accountkey: {Key}\n    container: registry\n    rootdirectory: /prod\n");

        Assert.Equal(StorageConfiguration.AzureDriver, storage.Storage.Driver);
        Assert.True(storage.Storage.IsDriverImplemented);
        var azure = Assert.IsType<AzureStorageConfiguration>(storage.Storage.Azure);
        Assert.Equal("acme", azure.AccountName);
        Assert.Equal(Key, azure.AccountKey);
        Assert.Equal("registry", azure.Container);
        Assert.Equal("core.windows.net", azure.Realm);
        Assert.Equal("/prod", azure.RootDirectory);
        Assert.Equal(AzureCredentialsType.SharedKey, azure.CredentialsType);
        Assert.Equal(4 * 1024 * 1024, azure.ChunkSize);
        Assert.Same(azure, RegistryStorageOptions.From(storage.Storage).Azure);
    }

    [Fact]
    public void Without_a_key_the_default_credentials_are_used_with_an_optional_managed_identity()
    {
        var azure = Loading.Configuration("version: 0.1\nstorage:\n  azure:\n    accountname: acme\n    container: registry\n    realm: core.chinacloudapi.cn\n    credentials:\n      clientid: 0b5d\n").Storage.Azure!;

        Assert.Equal(AzureCredentialsType.DefaultCredentials, azure.CredentialsType);
        Assert.Equal("0b5d", azure.ClientId);
        Assert.Equal("core.chinacloudapi.cn", azure.Realm);
    }

    [Fact]
    public void A_client_secret_a_connection_string_a_service_url_and_a_chunk_size_are_read()
    {
        var secret = Loading.Configuration("version: 0.1\nstorage:\n  azure:\n    accountname: acme\n    container: registry\n    chunksize: 8MiB\n    credentials:\n      type: client_secret\n      tenantid: t\n      clientid: c\n      secret: s\n").Storage.Azure!;
        var emulator = Loading.Configuration($"version: 0.1\nstorage:\n  azure:\n    accountname: devstoreaccount1\n    accountkey: {Key}\n    serviceurl: http://127.0.0.1:10000/devstoreaccount1\n    container: registry\n").Storage.Azure!;
        var connected = Loading.Configuration("version: 0.1\nstorage:\n  azure:\n    connectionstring: UseDevelopmentStorage=true\n    container: registry\n").Storage.Azure!;

        Assert.Equal((AzureCredentialsType.ClientSecret, "t", "c", "s", 8L * 1024 * 1024), (secret.CredentialsType, secret.TenantId, secret.ClientId, secret.Secret, secret.ChunkSize));
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", emulator.ServiceUrl);
        Assert.Equal((AzureCredentialsType.ConnectionString, "UseDevelopmentStorage=true"), (connected.CredentialsType, connected.ConnectionString));
    }

    [Fact]
    public void Environment_variables_choose_and_configure_the_azure_driver()
    {
        var storage = Loading.Configuration(
            "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\n  delete:\n    enabled: true\n",
            ("REGISTRY_STORAGE", "azure"),
            ("REGISTRY_STORAGE_AZURE_ACCOUNTNAME", "acme"),
            ("REGISTRY_STORAGE_AZURE_ACCOUNTKEY", Key),
            ("REGISTRY_STORAGE_AZURE_CONTAINER", "images"),
            ("REGISTRY_STORAGE_AZURE_CREDENTIALS_TYPE", "shared_key")).Storage;

        Assert.Equal("azure", storage.Driver);
        Assert.True(storage.DeleteEnabled);
        Assert.Equal(("acme", Key, "images"), (storage.Azure!.AccountName, storage.Azure.AccountKey, storage.Azure.Container));
    }

    [Theory]
    [InlineData("    accountname: acme\n", "storage.azure.container: is required")]
    [InlineData("    accountname: acme\n    container: Registry_Images\n", "storage.azure.container: 'Registry_Images' is not a container name (3-63 lower-case letters, digits and single hyphens)")]
    [InlineData("    container: registry\n", "storage.azure.accountname: is required (or set serviceurl or connectionstring)")]
    [InlineData("    accountname: acme\n    accountkey: not base64!\n    container: registry\n", "storage.azure.accountkey: is not a base64 account key")]
    [InlineData("    accountname: acme\n    container: registry\n    credentials:\n      type: shared_key\n", "storage.azure.accountkey: is required when credentials.type is shared_key")]
    [InlineData("    accountname: acme\n    container: registry\n    credentials:\n      type: client_secret\n      tenantid: t\n", "storage.azure.credentials.clientid: is required when credentials.type is client_secret")]
    [InlineData("    accountname: acme\n    container: registry\n    credentials:\n      type: password\n", "storage.azure.credentials.type: 'password' is not one of shared_key, client_secret, default_credentials")]
    [InlineData("    accountname: acme\n    accountkey: " + Key + "\n    container: registry\n    credentials:\n      type: default_credentials\n", "storage.azure.accountkey: is only used when credentials.type is shared_key, not default_credentials")]
    [InlineData("    connectionstring: UseDevelopmentStorage=true\n    accountname: acme\n    container: registry\n", "storage.azure.accountname: conflicts with storage.azure.connectionstring, which names the account itself; set one of them")]
    [InlineData("    accountname: acme\n    container: registry\n    serviceurl: 127.0.0.1:10000\n", "storage.azure.serviceurl: '127.0.0.1:10000' is not an absolute http or https URL")]
    [InlineData("    accountname: acme\n    container: registry\n    realm: 'bad realm'\n", "storage.azure.realm: 'bad realm' is not a DNS suffix (e.g. core.windows.net)")]
    [InlineData("    accountname: acme\n    container: registry\n    chunksize: 1KiB\n", "storage.azure.chunksize: '1KiB' must be between 64KiB and 100MiB")]
    public void An_invalid_azure_setting_stops_the_load_naming_its_key(string settings, string expected)
    {
        Assert.Equal(expected, Loading.Error("version: 0.1\nstorage:\n  azure:\n" + settings));
    }

    [Fact]
    public void An_invalid_account_key_is_not_repeated_in_the_error()
    {
        var message = Loading.Error("version: 0.1\nstorage:\n  azure:\n    accountname: acme\n    accountkey: s3cr3t-but-not-base64\n    container: registry\n");

        Assert.DoesNotContain("s3cr3t", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Distributions_copy_polling_keys_are_known_but_unused()
    {
        var result = Loading.Parse("version: 0.1\nstorage:\n  azure:\n    accountname: acme\n    container: registry\n    copy_status_poll_delay: 100ms\n");

        Assert.Equal(["storage.azure.copy_status_poll_delay: this tuning of Distribution's azure driver is known to Distribution but not implemented by RegistryCloud; ignored"], result.Warnings);
    }
}
