namespace RegistryCloud.Configuration.Tests;

/// <summary>Every invalid setting stops the load with a message that names its key and value.</summary>
public sealed class InvalidValueTests
{
    private const string Header = "version: 0.1\nstorage:\n  inmemory:\n";

    public static TheoryData<string, string> InvalidSettings => new()
    {
        { "redis:\n  addr: localhost:6379\n  dialtimeout: 10xs\n", "redis.dialtimeout: '10xs' is not a duration (e.g. 10ms, 5s, 1m)" },
        { "redis:\n  addr: localhost:70000\n", "redis.addr: 'localhost:70000' has a port out of range (0-65535)" },
        { "redis:\n  addrs: [a:1, b]\n", "redis.addrs[1]: 'b' has no port (use host:port, e.g. :5000)" },
        { "redis:\n  db: 0\n", "redis.addr: is required when a redis section is given (or set redis.addrs)" },
        { "redis:\n  addr: a:1\n  addrs: [b:2]\n", "redis.addrs: conflicts with redis.addr; set one of them" },
        { "redis:\n  addr: a:1\n  tls:\n    key: /k.pem\n", "redis.tls.key: needs redis.tls.certificate (the client certificate the key belongs to)" },
        { "redis:\n  addr: a:1\n  tls:\n    certificate: /c.pem\n", "redis.tls.certificate: needs redis.tls.key (the client certificate's private key)" },
        {
            "redis:\n  addrs: [s1:26379]\n  mastername: mymaster\n  password: p\n  sentinelpassword: other\n",
            "redis.sentinelpassword: differs from redis.password: RegistryCloud's Redis client authenticates to the sentinels with " +
            "redis.username and redis.password; give the sentinels the same credentials, or leave redis.sentinelpassword unset"
        },
        { "redis:\n  addr: a:1\n  maxidleconns: 3\n  pool:\n    maxidle: 4\n", "redis.maxidleconns: conflicts with redis.pool.maxidle; set one of them" },
        { "redis:\n  addr: a:1\n  pool:\n    maxactive: -2\n", "redis.pool.maxactive: '-2' must not be negative" },
        { "http:\n  addr: :99999\n", "http.addr: ':99999' has a port out of range (0-65535)" },
        { "http:\n  addr: localhost\n", "http.addr: 'localhost' has no port (use host:port, e.g. :5000)" },
        { "http:\n  debug:\n    addr: localhost:x\n", "http.debug.addr: 'localhost:x' has no numeric port" },
        { "http:\n  relativeurls: sometimes\n", "http.relativeurls: 'sometimes' is not true or false" },
        { "http:\n  draintimeout: -5s\n", "http.draintimeout: '-5s' must not be negative" },
        { "http:\n  host: registry.example.com\n", "http.host: 'registry.example.com' is not an absolute http or https URL" },
        { "http:\n  net: udp\n", "http.net: 'udp' is not one of tcp, tcp4, tcp6, unix" },
        { "http:\n  tls:\n    certificate: /c.pem\n", "http.tls.key: is required when http.tls.certificate is set" },
        { "http:\n  tls:\n    certificate: /c.pem\n    key: /k.pem\n    minimumtls: ssl3\n", "http.tls.minimumtls: 'ssl3' is not one of tls1.0, tls1.1, tls1.2, tls1.3" },
        { "http:\n  tls:\n    certificate: /c.pem\n    key: /k.pem\n    ciphersuites: [TLS_FAST]\n", "http.tls.ciphersuites[0]: 'TLS_FAST' is not a TLS cipher suite name (e.g. TLS_AES_128_GCM_SHA256)" },
        { "http:\n  secret: [a, b]\n", "http.secret: expected a single value, found a list" },
        { "http: :5000\n", "http: expected a section of keys, found ':5000'" },
        { "http:\n  headers:\n    X-Frame-Options: [DENY]\n    x-frame-options: [SAMEORIGIN]\n", "http.headers.x-frame-options: repeats the header X-Frame-Options; header names ignore case" },
        { "log:\n  level: verbose\n", "log.level: 'verbose' is not one of error, warn, info, debug" },
        { "log:\n  formatter: xml\n", "log.formatter: 'xml' is not one of text, json, logstash" },
        { "loglevel: trace\n", "loglevel: 'trace' is not one of error, warn, info, debug" },
        { "notifications:\n  endpoints:\n    - name: a\n      url: http://a/\n      threshold: -1\n", "notifications.endpoints[0].threshold: '-1' must not be negative" },
        { "notifications:\n  endpoints:\n    - name: a\n      url: http://a/\n      backoff: soon\n", "notifications.endpoints[0].backoff: 'soon' is not a duration (e.g. 10ms, 5s, 1m)" },
        { "notifications:\n  endpoints:\n    - name: a\n      url: /callback\n", "notifications.endpoints[0].url: '/callback' is not an absolute http or https URL" },
        { "notifications:\n  endpoints:\n    - url: http://a/\n", "notifications.endpoints[0].name: is required" },
        { "notifications:\n  endpoints:\n    - name: a\n      url: http://a/\n    - name: a\n      url: http://b/\n", "notifications.endpoints[1].name: 'a' is already the name of notifications.endpoints[0]; endpoint names must be unique" },
        { "notifications:\n  endpoints:\n    name: a\n", "notifications.endpoints: expected a list of sections" },
        { "health:\n  storagedriver:\n    threshold: -3\n", "health.storagedriver.threshold: '-3' must not be negative" },
        { "health:\n  tcp:\n    - addr: redis\n", "health.tcp[0].addr: 'redis' has no port (use host:port, e.g. :5000)" },
        { "health:\n  http:\n    - uri: http://a/\n      statuscode: 42\n", "health.http[0].statuscode: '42' must be at least 100" },
        { "auth:\n  htpasswd:\n    realm: r\n", "auth.htpasswd.path: is required" },
        { "auth:\n  htpasswd:\n    realm: r\n    path: /p\n  token:\n    realm: r\n", "auth: 'htpasswd' and 'token' are both configured; choose exactly one access controller (auth)" },
        { "auth:\n  token:\n    realm: r\n    service: s\n    issuer: i\n", "auth.token.rootcertbundle: is required (or auth.token.jwks): tokens cannot be verified without signing keys" },
        { "auth:\n  token:\n    realm: r\n    service: s\n    issuer: i\n    jwks: /j\n    signingalgorithms: [none]\n", "auth.token.signingalgorithms[0]: 'none' is not one of EdDSA, HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512" },
        { "validation:\n  manifests:\n    urls:\n      allow: ['^https://(']\n", "validation.manifests.urls.allow[0]: '^https://(' is not a regular expression" },
        { "validation:\n  manifests:\n    indexes:\n      platforms: some\n", "validation.manifests.indexes.platforms: 'some' is not one of all, none, list" },
        { "proxy:\n  remoteurl: docker.io\n", "proxy.remoteurl: 'docker.io' is not an absolute http or https URL" },
        { "tags:\n  maxtags: -1\n", "tags.maxtags: '-1' must not be negative" },
        { "catalog:\n  maxentries: many\n", "catalog.maxentries: 'many' is not a whole number" },
        { "manifests:\n  maxsize: 1024\n", "manifests.maxsize: '1024' must be at least 4194304" },
        { "manifests:\n  maxsize: 33554432\n", "manifests.maxsize: '33554432' must be at most 16777216" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void An_invalid_setting_fails_with_a_message_naming_its_key(string section, string expected)
    {
        var message = Loading.Error(Header + section);

        Assert.StartsWith(expected, message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> InvalidStorage => new()
    {
        { "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /a\n  inmemory:\n", "storage: 'filesystem' and 'inmemory' are both configured; choose exactly one storage driver" },
        { "version: 0.1\nstorage:\n  delete:\n    enabled: true\n", "storage: no storage driver is configured; set storage.filesystem.rootdirectory or storage.inmemory" },
        { "version: 0.1\n", "storage: no storage driver is configured; set storage.filesystem.rootdirectory or storage.inmemory" },
        { "version: 0.1\nstorage:\n  filesystem:\n    maxthreads: 10\n", "storage.filesystem.maxthreads: '10' must be at least 25" },
        { "version: 0.1\nstorage:\n  filesystem:\n    directio: sometimes\n", "storage.filesystem.directio: 'sometimes' is not true or false" },
        { "version: 0.1\nstorage:\n  inmemory:\n  delete:\n    enabled: maybe\n", "storage.delete.enabled: 'maybe' is not true or false" },
        { "version: 0.1\nstorage:\n  inmemory:\n  cache:\n    blobdescriptor: memcached\n", "storage.cache.blobdescriptor: 'memcached' is not one of inmemory, redis" },
        { "version: 0.1\nstorage:\n  inmemory:\n  cache:\n    layerinfo: disk\n", "storage.cache.layerinfo: 'disk' is not one of inmemory, redis" },
        { "version: 0.1\nstorage:\n  inmemory:\n  cache:\n    blobdescriptor: redis\n    layerinfo: inmemory\n", "storage.cache.layerinfo: 'inmemory' contradicts storage.cache.blobdescriptor 'redis'" },
        { "version: 0.1\nstorage:\n  inmemory:\n  cache:\n    blobdescriptor: redis\n", "storage.cache.blobdescriptor: 'redis' needs a redis section with an address" },
        { "version: 0.1\nstorage:\n  inmemory:\n  maintenance:\n    uploadpurging:\n      age: 1 week\n", "storage.maintenance.uploadpurging.age: '1 week' is not a duration (e.g. 10ms, 5s, 1m)" },
        { "version: 0.1\nstorage:\n  inmemory:\n  cache:\n    blobdescriptorsize: -1\n", "storage.cache.blobdescriptorsize: '-1' must not be negative" },
    };

    [Theory]
    [MemberData(nameof(InvalidStorage))]
    public void An_invalid_storage_section_fails_with_a_message_naming_its_key(string yaml, string expected)
    {
        Assert.StartsWith(expected, Loading.Error(yaml), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version: 0.2\nstorage: inmemory\n", "version: '0.2' is not supported; use 0.1")]
    [InlineData("version: '1.0'\nstorage: inmemory\n", "version: '1.0' is not supported; use 0.1")]
    [InlineData("storage: inmemory\n", "version: is required; use 0.1")]
    [InlineData("", "version: is required; use 0.1")]
    public void A_version_other_than_0_1_is_refused(string yaml, string expected)
    {
        Assert.Equal(expected, Loading.Error(yaml));
    }

    [Fact]
    public void A_yaml_syntax_error_names_the_file_line_and_column()
    {
        var message = Loading.Error("version: 0.1\nstorage: [inmemory\n");

        Assert.StartsWith("config.yml: line ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_that_is_not_a_mapping_is_refused()
    {
        Assert.StartsWith("config.yml: expected a mapping of sections", Loading.Error("- version\n- storage\n"), StringComparison.Ordinal);
    }
}
