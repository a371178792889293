
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
    [InlineData("version: 0.1\nstorage:\n  gcs:\n    bucket: images\n", "storage.gcs: the gcs storage driver is known to Distribution but not implemented by RegistryCloud; ignored")]
    [InlineData(Header + "auth:\n  silly:\n    realm: r\n    service: s\n", "auth.silly: the silly access controller is known to Distribution but not implemented by RegistryCloud; ignored")]
    [InlineData(Header + "middleware:\n  storage:\n    - name: cloudfront\n", "middleware: middleware (registry, repository and storage hooks such as cloudfront) is known to Distribution but not implemented by RegistryCloud; ignored")]
    [InlineData(Header + "log:\n  hooks:\n    - type: mail\n", "log.hooks: log hooks (mail on error) is known to Distribution but not implemented by RegistryCloud; ignored")]
    [InlineData(Header + "redis:\n  addr: a:1\n  clientname: registry\n", "redis.clientname: the go-redis option clientname is known to Distribution but not implemented by RegistryCloud; ignored")]
    [InlineData(Header + "http:\n  tls:\n    letsencrypt:\n      cachefile: /c\n", "http.tls.letsencrypt: automatic certificates from Let's Encrypt is known to Distribution but not implemented by RegistryCloud; ignored")]
    [InlineData(Header + "proxy:\n  remoteurl: https://registry-1.docker.io\n  exec:\n    command: helper\n", "proxy.exec.command: proxy.exec (a credential helper) is known to Distribution but not implemented by RegistryCloud; ignored")]
    public void A_key_Distribution_knows_but_RegistryCloud_does_not_implement_is_a_warning_naming_it(string yaml, string expected)
    {
        var result = Loading.Parse(yaml);

        Assert.Equal([expected], result.Warnings);
    }

    [Theory]
    [InlineData(Header + "http:\n  prefix: /registry/\n", "http.prefix: read but not applied by RegistryCloud; requests are served at /v2/")]
    [InlineData(Header + "http:\n  tls:\n    certificate: /c.pem\n    key: /k.pem\n    ciphersuites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n", "http.tls.ciphersuites: read but not applied by RegistryCloud; TLS uses the operating system's default cipher suites")]
    [InlineData(Header + "validation:\n  manifests:\n    indexes:\n      platforms: none\n", "validation.manifests.indexes: read but not applied by RegistryCloud; an image index is accepted only when every manifest it names is in the repository (platforms: all)")]
    [InlineData(Header + "validation:\n  manifests:\n    indexes:\n      platforms: list\n      platformlist:\n        - os: linux\n          architecture: amd64\n", "validation.manifests.indexes: read but not applied by RegistryCloud; an image index is accepted only when every manifest it names is in the repository (platforms: all)")]
    [InlineData("version: 0.1\nstorage:\n  inmemory:\n  tag:\n    concurrencylimit: 8\n", "storage.tag.concurrencylimit: read but not applied by RegistryCloud; a manifest's tags are found through RegistryCloud's index of tags by digest, without reading every tag")]
    public void A_key_that_is_read_but_not_applied_is_a_warning_naming_it_and_what_happens_instead(string yaml, string expected)
    {
        var result = Loading.Parse(yaml);

        Assert.Equal([expected], result.Warnings);
    }

    [Theory]
    [InlineData(Header + "http:\n  prefix: /\n")]
    [InlineData(Header + "validation:\n  manifests:\n    indexes:\n      platforms: all\n")]
    [InlineData("version: 0.1\nstorage:\n  inmemory:\n  tag:\n    concurrencylimit: 0\n")]
    public void A_key_whose_value_is_what_RegistryCloud_does_anyway_is_no_warning(string yaml)
    {
        Assert.Empty(Loading.Parse(yaml).Warnings);
    }

    [Fact]
    public void The_same_warning_names_the_variable_that_set_the_key()
    {
        var result = Loading.Parse(Header, ("REGISTRY_HTTP_PREFIX", "/registry/"));

        Assert.Equal(["http.prefix: read but not applied by RegistryCloud; requests are served at /v2/ (from REGISTRY_HTTP_PREFIX)"], result.Warnings);
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
    public void The_proxy_section_is_read()
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
