using Microsoft.Extensions.Configuration;
using RegistryCloud.AppHost;
using RegistryCloud.AppHost.Startup;
using RegistryCloud.Configuration;

namespace RegistryCloud.EndToEnd.Tests.AppHost;

/// <summary>The AppHost's own settings that are read before any resource starts.</summary>
public sealed class AppHostSettingsTests
{
    [Fact]
    public void The_dashboard_is_on_unless_turned_off()
    {
        Assert.True(AppHostSettings.ReadDashboard([]));
        Assert.True(AppHostSettings.ReadDashboard(["--RegistryCloud:Dashboard=true"]));
        Assert.False(AppHostSettings.ReadDashboard(["--RegistryCloud:Dashboard=false"]));
        Assert.False(AppHostSettings.ReadDashboard(["--RegistryCloud:Dashboard", "False"]));
    }

    [Fact]
    public void A_dashboard_setting_that_is_not_a_boolean_is_refused_naming_the_key()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => AppHostSettings.ReadDashboard(["--RegistryCloud:Dashboard=maybe"]));

        Assert.Equal("RegistryCloud:Dashboard: 'maybe' is not true or false.", refused.Message);
    }

    [Fact]
    public void Processes_are_restarted_when_they_die_unless_turned_off_and_a_bad_value_names_the_key()
    {
        using var directory = new TemporaryFolder();

        Assert.True(AppHostSettings.Read(Configuration(), directory.Path).RestartOnExit);
        Assert.False(AppHostSettings.Read(Configuration((AppHostSettings.RestartOnExitKey, "false")), directory.Path).RestartOnExit);
        var refused = Assert.Throws<InvalidOperationException>(() => AppHostSettings.Read(Configuration((AppHostSettings.RestartOnExitKey, "sometimes")), directory.Path));
        Assert.Equal("RegistryCloud:RestartOnExit: 'sometimes' is not true or false.", refused.Message);
    }

    [Fact]
    public void The_web_console_is_on_unless_turned_off_and_a_bad_value_names_the_key()
    {
        using var directory = new TemporaryFolder();

        Assert.True(AppHostSettings.Read(Configuration(), directory.Path).Console);
        Assert.False(AppHostSettings.Read(Configuration((AppHostSettings.ConsoleKey, "false")), directory.Path).Console);
        var refused = Assert.Throws<InvalidOperationException>(() => AppHostSettings.Read(Configuration((AppHostSettings.ConsoleKey, "off")), directory.Path));
        Assert.Equal("RegistryCloud:Console: 'off' is not true or false.", refused.Message);
    }

    [Fact]
    public void The_storage_emulator_setting_names_its_key_when_it_is_not_one_it_knows()
    {
        using var directory = new TemporaryFolder();

        var refused = Assert.Throws<InvalidOperationException>(() => AppHostSettings.Read(Configuration((AppHostSettings.StorageKey, "gcs")), directory.Path));

        Assert.Equal("RegistryCloud:Storage: 'gcs' is not one of filesystem, s3, azure.", refused.Message);
        Assert.Equal(StorageEmulator.None, AppHostSettings.Read(Configuration(), directory.Path).Storage);
        Assert.Equal(StorageEmulator.None, AppHostSettings.Read(Configuration((AppHostSettings.StorageKey, "filesystem")), directory.Path).Storage);
    }

    [Fact]
    public void A_storage_emulator_that_is_not_installed_says_how_to_install_it()
    {
        // An AppHost directory whose ../tests/servers has no node_modules.
        using var directory = new TemporaryFolder();
        var appHost = Path.Combine(directory.Path, "AppHost");
        Directory.CreateDirectory(appHost);

        var refused = Assert.Throws<InvalidOperationException>(() => AppHostSettings.Read(Configuration((AppHostSettings.StorageKey, "s3")), appHost));

        Assert.Contains("npm ci --prefix tests/servers", refused.Message, StringComparison.Ordinal);
        Assert.StartsWith("RegistryCloud:Storage: 's3' runs s3rver", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_installed_storage_emulator_is_accepted_in_any_case()
    {
        using var directory = new TemporaryFolder();
        var appHost = Path.Combine(directory.Path, "AppHost");
        Directory.CreateDirectory(Path.Combine(directory.Path, "tests", "servers", "node_modules", "azurite"));

        var settings = AppHostSettings.Read(Configuration((AppHostSettings.StorageKey, "Azure")), appHost);

        Assert.Equal(StorageEmulator.Azure, settings.Storage);
        Assert.Equal("Azure", settings.StorageText);
    }

    [Fact]
    public void A_configuration_without_storage_is_accepted_when_the_data_directory_provides_it()
    {
        using var directory = new TemporaryFolder();
        var config = Path.Combine(directory.Path, "config.yml");
        File.WriteAllText(config, "version: 0.1\nlog:\n  level: error\n");
        var dataDirectory = Path.Combine(directory.Path, "data");

        var settings = AppHostSettings.Read(Configuration(("config", config), (AppHostSettings.DataDirectoryKey, dataDirectory)), directory.Path);

        Assert.Equal(Path.Combine(dataDirectory, "storage"), settings.Registry?.Storage.FileSystem?.RootDirectory);
    }

    [Fact]
    public void A_configuration_on_object_storage_keeps_it_when_a_data_directory_is_given()
    {
        // The data directory then holds Redis's data and the certificates, not the registry's storage.
        using var directory = new TemporaryFolder();
        var config = Path.Combine(directory.Path, "config.yml");
        File.WriteAllText(config, "version: 0.1\nstorage:\n  s3:\n    region: us-east-1\n    bucket: registry\n");
        var dataDirectory = Path.Combine(directory.Path, "data");

        var settings = AppHostSettings.Read(Configuration(("config", config), (AppHostSettings.DataDirectoryKey, dataDirectory)), directory.Path);

        Assert.Equal(StorageConfiguration.S3Driver, settings.Registry?.Storage.Driver);
        Assert.False(settings.StorageInDataDirectory);
        Assert.Equal("the s3 driver (storage.s3)", StartupMessages.Storage(settings));
    }

    [Fact]
    public void A_configuration_without_storage_and_without_a_data_directory_is_refused_naming_storage()
    {
        using var directory = new TemporaryFolder();
        var config = Path.Combine(directory.Path, "config.yml");
        File.WriteAllText(config, "version: 0.1\n");

        var refused = Assert.Throws<RegistryConfigurationException>(() => AppHostSettings.Read(Configuration(("config", config)), directory.Path));

        Assert.Contains("storage", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configurations_warnings_are_kept_to_print_at_start()
    {
        using var directory = new TemporaryFolder();
        var config = Path.Combine(directory.Path, "config.yml");
        File.WriteAllText(config, "version: 0.1\nstorage: inmemory\nhttp:\n  prefix: /registry/\n");

        var settings = AppHostSettings.Read(Configuration(("config", config), ("REGISTRY_COLOUR", "blue")), directory.Path);

        Assert.Equal(["http.prefix: read but not applied by RegistryCloud; requests are served at /v2/", "colour: unknown key (from REGISTRY_COLOUR)"], settings.ConfigurationWarnings);
    }

    [Fact]
    public void Without_a_configuration_file_the_overrides_are_still_checked_for_warnings()
    {
        using var directory = new TemporaryFolder();

        var settings = AppHostSettings.Read(Configuration(("REGISTRY_HTTP_PREFIX", "/registry/")), directory.Path);

        Assert.Null(settings.Registry);
        Assert.Equal(["http.prefix: read but not applied by RegistryCloud; requests are served at /v2/ (from REGISTRY_HTTP_PREFIX)"], settings.ConfigurationWarnings);
    }

    [Fact]
    public void The_gateway_port_is_said_to_come_from_http_addr_only_when_no_setting_of_the_AppHost_gives_it()
    {
        using var directory = new TemporaryFolder();
        var config = Path.Combine(directory.Path, "config.yml");
        File.WriteAllText(config, "version: 0.1\nstorage: inmemory\nhttp:\n  addr: :5050\n");

        var fromFile = AppHostSettings.Read(Configuration(("config", config)), directory.Path);
        var fromSetting = AppHostSettings.Read(Configuration(("config", config), (AppHostSettings.GatewayPortKey, "5060")), directory.Path);

        Assert.Equal((5050, true), (fromFile.GatewayPort, fromFile.GatewayPortFromConfiguration));
        Assert.Equal((5060, false), (fromSetting.GatewayPort, fromSetting.GatewayPortFromConfiguration));
        Assert.False(AppHostSettings.Read(Configuration(), directory.Path).GatewayPortFromConfiguration);
    }

    [Fact]
    public void A_configuration_with_a_redis_section_uses_that_redis_and_refuses_one_of_the_AppHosts_own()
    {
        using var directory = new TemporaryFolder();
        var config = Path.Combine(directory.Path, "config.yml");
        File.WriteAllText(config, "version: 0.1\nstorage:\n  inmemory:\nredis:\n  addr: cache.example.net:6380\n  password: hunter2\n  tls:\n    enabled: true\n");

        var external = AppHostSettings.Read(Configuration(("config", config)), directory.Path);
        var refused = Assert.Throws<InvalidOperationException>(() =>
            AppHostSettings.Read(Configuration(("config", config), (AppHostSettings.RedisKey, "local")), directory.Path));

        Assert.Equal(RedisMode.External, external.Redis);
        Assert.Equal("cache.example.net:6380 (redis.addr)", StartupMessages.Redis(external, started: false));
        Assert.Equal(
            "RegistryCloud:Redis: 'local' starts a Redis of the AppHost's own, but the services connect to the configuration's redis section " +
            "(cache.example.net:6380); leave RegistryCloud:Redis unset (external) or remove the redis section.",
            refused.Message);
        Assert.DoesNotContain("hunter2", refused.Message + StartupMessages.Redis(external, started: false), StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
            .Build();

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("registrycloud-apphost-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
