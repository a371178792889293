
namespace RegistryCloud.Configuration.Tests;

/// <summary>The seed tutorial's production config.yml, copied byte for byte, must load as it is.</summary>
public sealed class SeedConfigurationTests
{
    private const string Certificate = "/home/ubuntu/docker/distribution/certs/domain.crt";
    private const string Key = "/home/docker/distribution/certs/domain.key";

    [Fact]
    public void The_seed_config_loads_from_its_file_warning_only_that_the_redis_pool_is_not_applied()
    {
        var result = Loading.Seed();

        Assert.Equal(["redis.pool.maxidle", "redis.pool.maxactive", "redis.pool.idletimeout"], result.Warnings.Select(KeyOf));
        Assert.All(result.Warnings, warning => Assert.Contains("there is no connection pool to size", warning, StringComparison.Ordinal));
        Assert.Equal(Loading.SeedPath, result.SourcePath);
        Assert.Equal("0.1", result.Configuration.Version);
    }

    [Fact]
    public void The_seed_log_section_is_read_completely()
    {
        var log = Loading.Seed().Configuration.Log;

        Assert.Equal(RegistryLogLevel.Debug, log.Level);
        Assert.Equal(LogFormatter.Text, log.Formatter);
        Assert.Equal(2, log.Fields.Count);
        Assert.Equal("registry", log.Fields["service"]);
        Assert.Equal("development", log.Fields["environment"]);
        Assert.False(log.AccessLogDisabled);
    }

    [Fact]
    public void The_seed_storage_is_the_filesystem_with_the_layerinfo_cache_in_memory()
    {
        var storage = Loading.Seed().Configuration.Storage;

        Assert.Equal(StorageConfiguration.FileSystemDriver, storage.Driver);
        Assert.True(storage.IsDriverImplemented);
        Assert.Equal("/tmp/registry-dev", storage.FileSystem?.RootDirectory);
        Assert.Equal(BlobDescriptorCacheKind.InMemory, storage.BlobDescriptorCache);
        Assert.False(storage.DeleteEnabled);
        Assert.False(storage.ReadOnly);
    }

    [Fact]
    public void The_seed_http_section_has_its_address_secret_debug_server_and_tls_files()
    {
        var http = Loading.Seed().Configuration.Http;

        Assert.Equal(":5000", http.Addr);
        Assert.Equal(new HostPort(string.Empty, 5000), http.ListenAddress);
        Assert.Equal("asecretforlocaldevelopment", http.Secret);
        Assert.Equal("localhost:5001", http.Debug?.Addr);
        Assert.Equal(Certificate, http.Tls?.Certificate);
        Assert.Equal(Key, http.Tls?.Key);
        Assert.Empty(http.Tls!.ClientCas);
    }

    [Fact]
    public void The_seed_redis_section_in_the_2_8_form_gives_address_pool_and_timeouts()
    {
        var redis = Loading.Seed().Configuration.Redis;

        Assert.NotNull(redis);
        Assert.Equal(["localhost:6379"], redis.Addrs);
        Assert.Equal("localhost:6379", redis.Addr);
        Assert.Equal(16, redis.MaxIdleConns);
        Assert.Equal(64, redis.PoolSize);
        Assert.Equal(TimeSpan.FromSeconds(300), redis.ConnMaxIdleTime);
        Assert.Equal(TimeSpan.FromMilliseconds(10), redis.DialTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(10), redis.ReadTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(10), redis.WriteTimeout);
        Assert.Null(redis.Password);
        Assert.False(redis.Tls.Enabled);
    }

    [Fact]
    public void The_seed_notification_endpoints_keep_their_names_urls_headers_and_retry_settings()
    {
        var endpoints = Loading.Seed().Configuration.Notifications.Endpoints;

        Assert.Equal(2, endpoints.Count);
        var first = endpoints[0];
        Assert.Equal("local-8082", first.Name);
        Assert.Equal("http://localhost:5003/callback", first.Url);
        Assert.Equal(["Bearer <an example token>"], first.Headers["Authorization"]);
        Assert.Equal(TimeSpan.FromSeconds(1), first.Timeout);
        Assert.Equal(10, first.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(1), first.Backoff);
        Assert.True(first.Disabled);

        var second = endpoints[1];
        Assert.Equal("local-8083", second.Name);
        Assert.Equal("http://localhost:8083/callback", second.Url);
        Assert.Empty(second.Headers);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Timeout);
        Assert.Equal(10, second.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Backoff);
        Assert.True(second.Disabled);
    }

    [Fact]
    public void The_seed_leaves_auth_and_proxy_unset()
    {
        var configuration = Loading.Seed().Configuration;

        Assert.Equal(AuthKind.None, configuration.Auth.Kind);
        Assert.Null(configuration.Proxy);
    }

    [Fact]
    public void The_seed_indented_as_a_markdown_list_item_reads_the_same()
    {
        var text = File.ReadAllText(Loading.SeedPath);
        var indented = string.Join('\n', text.Split('\n').Select(line => line.Length == 0 ? line : "   " + line));

        Assert.Equal(Loading.Seed().Configuration.ToMaskedYaml(), Loading.Configuration(indented).ToMaskedYaml());
    }

    [Fact]
    public void Validating_the_seed_against_the_real_file_system_names_the_missing_certificate_and_key()
    {
        var configuration = Loading.Seed().Configuration;

        var error = Assert.Throws<RegistryConfigurationException>(() => RegistryConfigurationLoader.ValidateFiles(configuration));

        Assert.Equal(
            [
                $"http.tls.certificate: file '{Certificate}' does not exist",
                $"http.tls.key: file '{Key}' does not exist",
            ],
            error.Problems);
        Assert.Contains($"http.tls.certificate: file '{Certificate}' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_seed_validates_once_the_certificate_and_key_point_at_existing_files()
    {
        var certificate = Path.GetTempFileName();
        var key = Path.GetTempFileName();
        try
        {
            var configuration = Loading.Seed(
                ("REGISTRY_HTTP_TLS_CERTIFICATE", certificate),
                ("REGISTRY_HTTP_TLS_KEY", key)).Configuration;

            RegistryConfigurationLoader.ValidateFiles(configuration);

            Assert.Equal(certificate, configuration.Http.Tls?.Certificate);
            Assert.Equal(key, configuration.Http.Tls?.Key);
        }
        finally
        {
            File.Delete(certificate);
            File.Delete(key);
        }
    }

    private static string KeyOf(string warning) => warning[..warning.IndexOf(':', StringComparison.Ordinal)];
}
