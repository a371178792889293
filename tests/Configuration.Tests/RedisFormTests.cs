
namespace RegistryCloud.Configuration.Tests;

/// <summary>Both of Distribution's redis forms, 2.8's and 3.x's, land in the same settings.</summary>
public sealed class RedisFormTests
{
    private const string Header = "version: 0.1\nstorage:\n  inmemory:\n  cache:\n    blobdescriptor: redis\n";

    [Fact]
    public void The_3_x_form_reads_addresses_credentials_pool_timeouts_and_tls()
    {
        var result = Loading.Parse(Header + """
            redis:
              addrs: [redis-0:6379, redis-1:6379]
              username: registry
              password: asecret
              db: 2
              dialtimeout: 10ms
              readtimeout: 20ms
              writetimeout: 30ms
              maxidleconns: 16
              poolsize: 64
              connmaxidletime: 300s
              tls:
                certificate: /certs/redis-client.crt
                key: /certs/redis-client.key
                clientcas:
                  - /certs/redis-ca.pem
            """);

        Assert.Equal(
            [
                "redis.maxidleconns: read but not applied by RegistryCloud; " + RedisSectionReader.PoolNotApplied,
                "redis.poolsize: read but not applied by RegistryCloud; " + RedisSectionReader.PoolNotApplied,
                "redis.connmaxidletime: read but not applied by RegistryCloud; " + RedisSectionReader.PoolNotApplied,
            ],
            result.Warnings);
        var redis = result.Configuration.Redis;
        Assert.NotNull(redis);
        Assert.Equal(new[] { "redis-0:6379", "redis-1:6379" }, redis.Addrs);
        Assert.Equal("registry", redis.Username);
        Assert.Equal("asecret", redis.Password);
        Assert.Equal(2, redis.Db);
        Assert.Equal(TimeSpan.FromMilliseconds(10), redis.DialTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(20), redis.ReadTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(30), redis.WriteTimeout);
        Assert.Equal(16, redis.MaxIdleConns);
        Assert.Equal(64, redis.PoolSize);
        Assert.Equal(TimeSpan.FromMinutes(5), redis.ConnMaxIdleTime);
        Assert.True(redis.Tls.Enabled);
        Assert.Equal("/certs/redis-client.crt", redis.Tls.Certificate);
        Assert.Equal("/certs/redis-client.key", redis.Tls.Key);
        Assert.Equal(new[] { "/certs/redis-ca.pem" }, redis.Tls.RootCas);
        Assert.Equal(BlobDescriptorCacheKind.Redis, result.Configuration.Storage.BlobDescriptorCache);
    }

    [Fact]
    public void The_current_rootcas_key_is_read_like_clientcas()
    {
        var redis = Loading.Configuration(Header + "redis:\n  addrs: [r:6379]\n  tls:\n    rootcas: [/ca.pem]\n").Redis;

        Assert.Equal(new[] { "/ca.pem" }, redis?.Tls.RootCas);
        Assert.True(redis?.Tls.Enabled);
    }

    [Fact]
    public void The_2_8_form_with_tls_enabled_and_a_password_reads_into_the_same_settings()
    {
        var redis = Loading.Configuration(Header + """
            redis:
              addr: redis:6379
              password: hunter2
              db: 1
              pool:
                maxidle: 4
                maxactive: 8
                idletimeout: 1m
              tls:
                enabled: true
            """).Redis;

        Assert.NotNull(redis);
        Assert.Equal("redis:6379", redis.Addr);
        Assert.Equal("hunter2", redis.Password);
        Assert.Equal(1, redis.Db);
        Assert.Equal(4, redis.MaxIdleConns);
        Assert.Equal(8, redis.PoolSize);
        Assert.Equal(TimeSpan.FromMinutes(1), redis.ConnMaxIdleTime);
        Assert.True(redis.Tls.Enabled);
        Assert.Null(redis.DialTimeout);
    }

    [Fact]
    public void Sentinel_mastername_with_several_addresses_and_the_same_sentinel_credentials_reads_without_warnings()
    {
        var result = Loading.Parse(Header + """
            redis:
              addrs: [sentinel-0:26379, sentinel-1:26379, sentinel-2:26379]
              mastername: mymaster
              username: registry
              password: asecret
              sentinelusername: registry
              sentinelpassword: asecret
            """);

        Assert.Empty(result.Warnings);
        Assert.Equal("mymaster", result.Configuration.Redis?.MasterName);
        Assert.Equal(3, result.Configuration.Redis?.Addrs.Count);
        Assert.Contains("mastername: mymaster", result.Configuration.ToMaskedYaml(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sentinel_credentials_without_a_mastername_are_a_warning()
    {
        var result = Loading.Parse(Header + "redis:\n  addr: r:6379\n  sentinelpassword: x\n");

        Assert.Equal(["redis.sentinelpassword: read but not applied by RegistryCloud; it applies only with redis.mastername (sentinel)"], result.Warnings);
    }

    [Theory]
    [InlineData("poolfifo: true", "redis.poolfifo")]
    [InlineData("minidleconns: 2", "redis.minidleconns")]
    [InlineData("pool:\n    maxactive: 8", "redis.pool.maxactive")]
    public void Every_pool_setting_is_accepted_with_a_warning_that_the_client_has_no_pool(string setting, string key)
    {
        var result = Loading.Parse(Header + "redis:\n  addr: r:6379\n  " + setting + "\n");

        Assert.Equal([$"{key}: read but not applied by RegistryCloud; {RedisSectionReader.PoolNotApplied}"], result.Warnings);
    }

    [Fact]
    public void No_redis_section_means_no_redis()
    {
        Assert.Null(Loading.Configuration(Loading.Minimal).Redis);
        Assert.Null(Loading.Configuration(Loading.Minimal + "redis:\n").Redis);
    }
}
