using Microsoft.Extensions.Configuration;

namespace RegistryCloud.Configuration.Tests;

/// <summary>REGISTRY_&lt;SECTION&gt;_&lt;KEY&gt; variables override the file as Distribution's do.</summary>
public sealed class EnvironmentOverrideTests
{
    [Fact]
    public void A_storage_variable_replaces_the_filesystem_root_directory()
    {
        var storage = Loading.Seed(("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/srv/registry")).Configuration.Storage;

        Assert.Equal("/srv/registry", storage.FileSystem?.RootDirectory);
    }

    [Fact]
    public void A_storage_variable_turns_direct_io_off()
    {
        var storage = Loading.Seed(("REGISTRY_STORAGE_FILESYSTEM_DIRECTIO", "false")).Configuration.Storage;

        Assert.False(storage.FileSystem?.DirectIo);
        Assert.False(RegistryStorageOptions.From(storage).DirectIo);
    }

    [Fact]
    public void Http_redis_and_log_variables_replace_single_values()
    {
        var configuration = Loading.Seed(
            ("REGISTRY_HTTP_ADDR", "0.0.0.0:5443"),
            ("REGISTRY_REDIS_ADDR", "redis.internal:6380"),
            ("REGISTRY_LOG_LEVEL", "error"),
            ("REGISTRY_HTTP_TLS_CERTIFICATE", "/etc/certs/registry.crt")).Configuration;

        Assert.Equal("0.0.0.0:5443", configuration.Http.Addr);
        Assert.Equal(new HostPort("0.0.0.0", 5443), configuration.Http.ListenAddress);
        Assert.Equal("redis.internal:6380", configuration.Redis?.Addr);
        Assert.Equal(RegistryLogLevel.Error, configuration.Log.Level);
        Assert.Equal("/etc/certs/registry.crt", configuration.Http.Tls?.Certificate);
    }

    [Fact]
    public void A_variable_creates_the_sections_a_file_does_not_have()
    {
        var storage = Loading.Configuration(
            Loading.Minimal,
            ("REGISTRY_STORAGE_DELETE_ENABLED", "true"),
            ("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true")).Storage;

        Assert.True(storage.DeleteEnabled);
        Assert.True(storage.ReadOnly);
    }

    [Fact]
    public void A_whole_storage_value_chooses_the_driver_and_keeps_the_shared_storage_settings()
    {
        var storage = Loading.Seed(("REGISTRY_STORAGE", "inmemory"), ("REGISTRY_STORAGE_DELETE_ENABLED", "true")).Configuration.Storage;

        Assert.Equal(StorageConfiguration.InMemoryDriver, storage.Driver);
        Assert.Null(storage.FileSystem);
        Assert.Equal(BlobDescriptorCacheKind.InMemory, storage.BlobDescriptorCache);
        Assert.True(storage.DeleteEnabled);
    }

    [Fact]
    public void The_driver_variable_applies_before_its_parameters_whatever_order_they_are_given_in()
    {
        var storage = Loading.Configuration(
            Loading.Minimal,
            ("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/data"),
            ("REGISTRY_STORAGE", "filesystem")).Storage;

        Assert.Equal(StorageConfiguration.FileSystemDriver, storage.Driver);
        Assert.Equal("/data", storage.FileSystem?.RootDirectory);
    }

    [Fact]
    public void List_entries_are_overridden_by_index_and_one_past_the_end_appends()
    {
        var endpoints = Loading.Seed(
            ("REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "https://hooks.example.com/registry"),
            ("REGISTRY_NOTIFICATIONS_ENDPOINTS_2_NAME", "audit"),
            ("REGISTRY_NOTIFICATIONS_ENDPOINTS_2_URL", "http://audit:8080/events")).Configuration.Notifications.Endpoints;

        Assert.Equal(3, endpoints.Count);
        Assert.Equal("https://hooks.example.com/registry", endpoints[0].Url);
        Assert.Equal("local-8082", endpoints[0].Name);
        Assert.Equal("audit", endpoints[2].Name);
        Assert.Equal("http://audit:8080/events", endpoints[2].Url);
        Assert.False(endpoints[2].Disabled);
    }

    [Fact]
    public void An_index_that_would_leave_a_gap_is_an_error_naming_the_variable()
    {
        var message = Loading.Error(Loading.Minimal, ("REGISTRY_NOTIFICATIONS_ENDPOINTS_1_NAME", "gap"));

        Assert.StartsWith("REGISTRY_NOTIFICATIONS_ENDPOINTS_1_NAME: '1' is not an index of notifications.endpoints", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_list_and_mapping_values_are_parsed_and_a_single_list_entry_can_be_set()
    {
        var configuration = Loading.Configuration(
            "version: 0.1\nstorage: inmemory\nhttp:\n  tls:\n    certificate: /c.pem\n    key: /k.pem\n",
            ("REGISTRY_HTTP_TLS_CLIENTCAS", "[/ca/one.pem, /ca/two.pem]"),
            ("REGISTRY_HTTP_TLS_CLIENTCAS_1", "/ca/second.pem"),
            ("REGISTRY_LOG_FIELDS", "abc: xyz"));

        Assert.Equal(new[] { "/ca/one.pem", "/ca/second.pem" }, configuration.Http.Tls?.ClientCas);
        Assert.Equal("xyz", configuration.Log.Fields["abc"]);
    }

    [Fact]
    public void Plain_values_are_taken_as_written_and_quoted_ones_are_unquoted()
    {
        var configuration = Loading.Seed(
            ("REGISTRY_REDIS_PASSWORD", "p: w #1"),
            ("REGISTRY_HTTP_SECRET", "'quoted secret'")).Configuration;

        Assert.Equal("p: w #1", configuration.Redis?.Password);
        Assert.Equal("quoted secret", configuration.Http.Secret);
    }

    [Fact]
    public void Go_field_names_that_differ_from_yaml_keys_are_understood()
    {
        var configuration = Loading.Seed(
            ("REGISTRY_NOTIFICATIONS_EVENTCONFIG_INCLUDEREFERENCES", "true"),
            ("REGISTRY_REDIS_OPTIONS_USERNAME", "registry"),
            ("REGISTRY_HEALTH_TCPCHECKERS_0_ADDR", "redis:6379")).Configuration;

        Assert.True(configuration.Notifications.IncludeReferences);
        Assert.Equal("registry", configuration.Redis?.Username);
        Assert.Equal("redis:6379", Assert.Single(configuration.Health.Tcp).Addr);
    }

    [Fact]
    public void A_whole_auth_value_chooses_the_access_controller_whose_settings_follow()
    {
        var auth = Loading.Configuration(
            Loading.Minimal,
            ("REGISTRY_AUTH", "htpasswd"),
            ("REGISTRY_AUTH_HTPASSWD_REALM", "Registry Realm"),
            ("REGISTRY_AUTH_HTPASSWD_PATH", "/auth/htpasswd")).Auth;

        Assert.Equal(AuthKind.Htpasswd, auth.Kind);
        Assert.Equal(new HtpasswdAuthConfiguration("Registry Realm", "/auth/htpasswd"), auth.Htpasswd);
    }

    [Fact]
    public void A_bad_value_from_a_variable_names_the_key_and_the_variable()
    {
        var message = Loading.Error(Loading.Minimal, ("REGISTRY_REDIS_ADDR", "localhost:6379"), ("REGISTRY_REDIS_DIALTIMEOUT", "10xs"));

        Assert.Equal("redis.dialtimeout: '10xs' is not a duration (e.g. 10ms, 5s, 1m) (from REGISTRY_REDIS_DIALTIMEOUT)", message);
    }

    [Fact]
    public void A_section_variable_over_a_single_value_is_an_error()
    {
        var message = Loading.Error(Loading.Minimal, ("REGISTRY_LOG_LEVEL_NAME", "debug"), ("REGISTRY_LOG_LEVEL", "info"));

        Assert.Equal("REGISTRY_LOG_LEVEL_NAME: log.level is a single value, not a section", message);
    }

    [Fact]
    public void A_section_variable_inside_a_list_of_single_values_is_an_error()
    {
        var message = Loading.Error(
            "version: 0.1\nstorage: inmemory\nhttp:\n  tls:\n    certificate: /c\n    key: /k\n    clientcas: [/ca]\n",
            ("REGISTRY_HTTP_TLS_CLIENTCAS_0_PATH", "/x"));

        Assert.Equal("REGISTRY_HTTP_TLS_CLIENTCAS_0_PATH: http.tls.clientcas[0] is a single value, not a section", message);
    }

    [Fact]
    public void A_variable_for_no_known_key_is_a_warning_naming_it()
    {
        var result = Loading.Parse(Loading.Minimal, ("REGISTRY_DUCKS", "quack"), ("REGISTRY_HTTP_TLZ_CERTIFICATE", "/x"));

        Assert.Equal(["ducks: unknown key (from REGISTRY_DUCKS)", "http.tlz: unknown key (from REGISTRY_HTTP_TLZ_CERTIFICATE)"], result.Warnings);
    }

    [Fact]
    public void Other_variables_and_the_configuration_path_variable_are_not_overrides()
    {
        var result = Loading.Parse(
            Loading.Minimal,
            ("PATH", "/usr/bin"),
            ("registry_http_addr", ":1"),
            (RegistryConfigurationLoader.ConfigurationPathVariable, "/etc/distribution/config.yml"));

        Assert.Empty(result.Warnings);
        Assert.Equal(":5000", result.Configuration.Http.Addr);
    }

    [Fact]
    public void Registry_variables_are_collected_from_an_IConfiguration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["REGISTRY_HTTP_ADDR"] = ":6000",
                ["Logging:LogLevel:Default"] = "Information",
                ["REGISTRY_LOG:NESTED"] = "not a variable",
            })
            .Build();

        var variables = RegistryConfigurationLoader.RegistryVariables(configuration);

        Assert.Equal(":6000", Assert.Single(variables).Value);
        Assert.Equal(":6000", Loading.Configuration(Loading.Minimal, [.. variables.Select(v => (v.Key, v.Value))]).Http.Addr);
    }
}
