
namespace RegistryCloud.Configuration.Tests;

/// <summary>
/// Unknown keys, and keys Distribution knows that RegistryCloud does not implement, load with a
/// warning naming their full path; nothing is ignored silently.
/// </summary>
public sealed class WarningTests
{
    private const string Header = "version: 0.1\nstorage:\n  inmemory:\n";

    [Theory]
    [InlineData("http:\n  tlz:\n    certificate: /c.pem\n", "http.tlz: unknown key")]
    [InlineData("colour: blue\n", "colour: unknown key")]
    [InlineData("Http:\n  addr: :5000\n", "Http: unknown key")]
    [InlineData("log:\n  accesslog:\n    enabled: false\n", "log.accesslog.enabled: unknown key")]
    [InlineData("notifications:\n  endpoints:\n    - name: a\n      url: http://a/\n      tiemout: 1s\n", "notifications.endpoints[0].tiemout: unknown key")]
    [InlineData("redis:\n  addr: a:1\n  pool:\n    maxidel: 3\n", "redis.pool.maxidel: unknown key")]
    [InlineData("health:\n  file:\n    - file: /down\n      intreval: 5s\n", "health.file[0].intreval: unknown key")]
    public void An_unknown_key_is_a_warning_naming_its_path(string section, string expected)
    {
        var result = Loading.Parse(Header + section);

        Assert.Equal([expected], result.Warnings);
    }

    [Fact]
    public void A_parameter_given_to_the_in_memory_driver_is_an_unknown_key()
    {
        var result = Loading.Parse("version: 0.1\nstorage:\n  inmemory:\n    rootdirectory: /x\n");

        Assert.Equal(["storage.inmemory.rootdirectory: unknown key"], result.Warnings);
    }

    [Theory]
    [InlineData("version: 0.1\nstorage:\n  s3:\n    bucket: images\n    region: us-east-1\n", "storage.s3: the s3 storage driver is known to Distribution but not implemented by RegistryCloud; ignored")]
    [InlineData(Header + "auth:\n  silly:\n    realm: r\n    service: s\n", "auth.silly: the silly access controller is known to Distribution but not implemented by RegistryCloud; ignored")]
    [InlineData(Header + "middleware:\n  storage:\n    - name: cloudfront\n", "middleware: middleware (registry, repository and storage hooks such as cloudfront) is known to Distribution but not implemented by RegistryCloud; ignored")]
    [InlineData(Header + "log:\n  hooks:\n    - type: mail\n", "log.hooks: log hooks (mail on error) is known to Distribution but not implemented by RegistryCloud; ignored")]
    [InlineData(Header + "redis:\n  addr: a:1\n  poolfifo: true\n", "redis.poolfifo: the go-redis option poolfifo is known to Distribution but not implemented by RegistryCloud; ignored")]
    [InlineData(Header + "http:\n  tls:\n    letsencrypt:\n      cachefile: /c\n", "http.tls.letsencrypt: automatic certificates from Let's Encrypt is known to Distribution but not implemented by RegistryCloud; ignored")]
    [InlineData(Header + "proxy:\n  remoteurl: https://registry-1.docker.io\n", "proxy: the pull-through cache is known to Distribution but not implemented by RegistryCloud; this registry serves only what is pushed to it")]
    public void A_key_Distribution_knows_but_RegistryCloud_does_not_implement_is_a_warning_naming_it(string yaml, string expected)
    {
        var result = Loading.Parse(yaml);

        Assert.Equal([expected], result.Warnings);
    }

    [Fact]
    public void A_storage_driver_that_is_not_implemented_is_still_the_configured_driver()
    {
        var storage = Loading.Configuration("version: 0.1\nstorage:\n  gcs:\n    bucket: b\n").Storage;

        Assert.Equal("gcs", storage.Driver);
        Assert.False(storage.IsDriverImplemented);
        Assert.Null(storage.FileSystem);
    }

    [Fact]
    public void The_proxy_section_is_read_even_though_it_is_not_implemented()
    {
        var proxy = Loading.Configuration(Header + "proxy:\n  remoteurl: https://registry-1.docker.io\n  username: u\n  password: p\n  ttl: 72h\n").Proxy;

        Assert.NotNull(proxy);
        Assert.Equal("https://registry-1.docker.io", proxy.RemoteUrl);
        Assert.Equal("u", proxy.Username);
        Assert.Equal("p", proxy.Password);
        Assert.Equal(TimeSpan.FromHours(72), proxy.Ttl);
    }

    [Fact]
    public void Prometheus_without_a_debug_address_is_a_warning()
    {
        var result = Loading.Parse(Header + "http:\n  debug:\n    prometheus:\n      enabled: true\n");

        Assert.Equal(["http.debug.prometheus: ignored, because http.debug.addr is not set"], result.Warnings);
        Assert.Null(result.Configuration.Http.Debug);
    }

    [Fact]
    public void The_deprecated_top_level_loglevel_is_read_without_a_warning()
    {
        var result = Loading.Parse(Header + "loglevel: warn\n");

        Assert.Empty(result.Warnings);
        Assert.Equal(RegistryLogLevel.Warn, result.Configuration.Log.Level);
    }
}
