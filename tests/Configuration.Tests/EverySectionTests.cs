
namespace RegistryCloud.Configuration.Tests;

/// <summary>Every key RegistryCloud reads, as Distribution's configuration reference writes it.</summary>
public sealed class EverySectionTests
{
    private const string Reference = """
        version: 0.1
        log:
          accesslog:
            disabled: true
          level: warn
          formatter: json
          fields:
            service: registry
        storage:
          filesystem:
            rootdirectory: /var/lib/registry
            maxthreads: 50
            directio: false
          tag:
            concurrencylimit: 8
          delete:
            enabled: true
          redirect:
            disable: true
          cache:
            blobdescriptor: inmemory
            blobdescriptorsize: 500
          maintenance:
            uploadpurging:
              enabled: false
              age: 72h
              interval: 12h
              dryrun: true
            readonly:
              enabled: true
        auth:
          token:
            autoredirect: true
            realm: token-realm
            service: token-service
            issuer: registry-token-issuer
            rootcertbundle: /root/certs/bundle
            signingalgorithms:
                - EdDSA
                - HS256
        catalog:
          maxentries: 200
        tags:
          maxtags: 300
        manifests:
          maxsize: 8388608
        http:
          addr: localhost:5000
          net: tcp
          prefix: /my/nested/registry/
          host: https://myregistryaddress.org:5000
          secret: asecretforlocaldevelopment
          relativeurls: true
          draintimeout: 60s
          tls:
            certificate: /path/to/x509/public
            key: /path/to/x509/private
            clientcas:
              - /path/to/ca.pem
              - /path/to/another/ca.pem
            clientauth: verify-client-cert-if-given
            minimumtls: tls1.3
            ciphersuites:
              - TLS_AES_128_GCM_SHA256
          debug:
            addr: localhost:5001
            prometheus:
              enabled: true
              path: /metrics
          headers:
            X-Content-Type-Options: [nosniff]
          http2:
            disabled: true
          h2c:
            enabled: true
        notifications:
          events:
            includereferences: true
          endpoints:
            - name: alistener
              disabled: false
              url: https://my.listener.com/event
              timeout: 2s
              threshold: 5
              backoff: 3s
              ignoredmediatypes:
                - application/octet-stream
              ignore:
                mediatypes:
                   - application/vnd.oci.image.config.v1+json
                actions:
                   - pull
        health:
          storagedriver:
            enabled: true
            interval: 20s
            threshold: 3
          file:
            - file: /path/to/checked/file
              interval: 10s
          http:
            - uri: http://server.to.check/must/return/200
              headers:
                Authorization: [Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==]
              statuscode: 204
              timeout: 3s
              interval: 15s
              threshold: 2
          tcp:
            - addr: redis-server.domain.com:6379
              timeout: 3s
              interval: 10s
              threshold: 3
        validation:
          disabled: false
          manifests:
            urls:
              allow:
                - ^https?://([^/]+\.)*example\.com/
              deny:
                - ^https?://www\.example\.com/
            indexes:
              platforms: List
              platformlist:
              - architecture: amd64
                os: linux
        """;

    private static RegistryConfigurationLoadResult Load() => Loading.Parse(Reference);

    [Fact]
    public void The_reference_configuration_loads_with_a_warning_for_each_key_read_but_not_applied()
    {
        Assert.Equal(
            [
                "storage.tag.concurrencylimit: read but not applied by RegistryCloud; a manifest's tags are found through RegistryCloud's index of tags by digest, without reading every tag",
                "http.prefix: read but not applied by RegistryCloud; requests are served at /v2/",
                "http.tls.ciphersuites: read but not applied by RegistryCloud; TLS uses the operating system's default cipher suites",
                "validation.manifests.indexes: read but not applied by RegistryCloud; an image index is accepted only when every manifest it names is in the repository (platforms: all)",
            ],
            Load().Warnings);
    }

    [Fact]
    public void Log_and_storage_settings_are_read()
    {
        var configuration = Load().Configuration;

        Assert.Equal(new LogConfiguration { Level = RegistryLogLevel.Warn, Formatter = LogFormatter.Json, AccessLogDisabled = true, Fields = configuration.Log.Fields }, configuration.Log);
        Assert.Equal("registry", configuration.Log.Fields["service"]);
        var storage = configuration.Storage;
        Assert.Equal(new FileSystemStorageConfiguration { RootDirectory = "/var/lib/registry", MaxThreads = 50, DirectIo = false }, storage.FileSystem);
        Assert.Equal(8, storage.TagConcurrencyLimit);
        Assert.True(storage.DeleteEnabled);
        Assert.True(storage.RedirectDisabled);
        Assert.Equal(BlobDescriptorCacheKind.InMemory, storage.BlobDescriptorCache);
        Assert.Equal(500, storage.BlobDescriptorCacheSize);
        Assert.Equal(new UploadPurgingConfiguration { Enabled = false, Age = TimeSpan.FromHours(72), Interval = TimeSpan.FromHours(12), DryRun = true }, storage.UploadPurging);
        Assert.True(storage.ReadOnly);
        Assert.Equal(200, configuration.CatalogMaxEntries);
        Assert.Equal(300, configuration.TagsMaxTags);
        Assert.Equal(8 * 1024 * 1024, configuration.ManifestsMaxSize);
    }

    [Fact]
    public void Http_settings_are_read()
    {
        var http = Load().Configuration.Http;

        Assert.Equal("localhost:5000", http.Addr);
        Assert.Equal("tcp", http.Net);
        Assert.Equal("/my/nested/registry/", http.Prefix);
        Assert.Equal("https://myregistryaddress.org:5000", http.Host);
        Assert.True(http.RelativeUrls);
        Assert.Equal(TimeSpan.FromSeconds(60), http.DrainTimeout);
        Assert.Equal(new[] { "/path/to/ca.pem", "/path/to/another/ca.pem" }, http.Tls?.ClientCas);
        Assert.Equal("verify-client-cert-if-given", http.Tls?.ClientAuth);
        Assert.Equal("tls1.3", http.Tls?.MinimumTls);
        Assert.Equal(new[] { "TLS_AES_128_GCM_SHA256" }, http.Tls?.CipherSuites);
        Assert.Equal(new HttpDebugConfiguration { Addr = "localhost:5001", PrometheusEnabled = true, PrometheusPath = "/metrics" }, http.Debug);
        Assert.Equal(new[] { "nosniff" }, http.Headers["x-content-type-options"]);
        Assert.True(http.Http2Disabled);
        Assert.True(http.H2cEnabled);
    }

    [Fact]
    public void Token_auth_is_read()
    {
        var auth = Load().Configuration.Auth;

        Assert.Equal(AuthKind.Token, auth.Kind);
        Assert.Equal("token-realm", auth.Token?.Realm);
        Assert.Equal("token-service", auth.Token?.Service);
        Assert.Equal("registry-token-issuer", auth.Token?.Issuer);
        Assert.Equal("/root/certs/bundle", auth.Token?.RootCertBundle);
        Assert.True(auth.Token?.AutoRedirect);
        Assert.Equal(new[] { "EdDSA", "HS256" }, auth.Token?.SigningAlgorithms);
    }

    [Fact]
    public void Notification_settings_are_read()
    {
        var notifications = Load().Configuration.Notifications;

        Assert.True(notifications.IncludeReferences);
        var endpoint = Assert.Single(notifications.Endpoints);
        Assert.Equal("alistener", endpoint.Name);
        Assert.Equal("https://my.listener.com/event", endpoint.Url);
        Assert.Equal(TimeSpan.FromSeconds(2), endpoint.Timeout);
        Assert.Equal(5, endpoint.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(3), endpoint.Backoff);
        Assert.Equal(new[] { "application/octet-stream" }, endpoint.IgnoredMediaTypes);
        Assert.Equal(new[] { "application/vnd.oci.image.config.v1+json" }, endpoint.IgnoreMediaTypes);
        Assert.Equal(new[] { "pull" }, endpoint.IgnoreActions);
        Assert.False(endpoint.Disabled);
    }

    [Fact]
    public void Health_checks_are_read()
    {
        var health = Load().Configuration.Health;

        Assert.Equal(new StorageDriverHealthCheck { Enabled = true, Interval = TimeSpan.FromSeconds(20), Threshold = 3 }, health.StorageDriver);
        Assert.Equal(new FileHealthCheck { File = "/path/to/checked/file", Interval = TimeSpan.FromSeconds(10) }, Assert.Single(health.File));
        var http = Assert.Single(health.Http);
        Assert.Equal("http://server.to.check/must/return/200", http.Uri);
        Assert.Equal(new[] { "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==" }, http.Headers["Authorization"]);
        Assert.Equal(204, http.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), http.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(15), http.Interval);
        Assert.Equal(2, http.Threshold);
        Assert.Equal(
            new TcpHealthCheck { Addr = "redis-server.domain.com:6379", Timeout = TimeSpan.FromSeconds(3), Interval = TimeSpan.FromSeconds(10), Threshold = 3 },
            Assert.Single(health.Tcp));
    }

    [Fact]
    public void Validation_settings_are_read()
    {
        var validation = Load().Configuration.Validation;

        Assert.False(validation.Disabled);
        Assert.Equal(new[] { @"^https?://([^/]+\.)*example\.com/" }, validation.ManifestUrlsAllow);
        Assert.Equal(new[] { @"^https?://www\.example\.com/" }, validation.ManifestUrlsDeny);
        Assert.Equal("list", validation.IndexPlatforms);
        Assert.Equal(new PlatformConfiguration("amd64", "linux"), Assert.Single(validation.IndexPlatformList));
    }
}
