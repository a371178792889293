using System.Net;
using RegistryCloud.Configuration;
using RegistryCloud.Events.Redis;
using RegistryCloud.Tests.Shared;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Tests.Events;

/// <summary>Every key of the <c>redis</c> section, as the StackExchange.Redis options every service connects with.</summary>
public sealed class RedisClientOptionsTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_3_x_form_maps_addresses_credentials_database_and_timeouts()
    {
        var options = Apply("""
            redis:
              addrs: [redis-0:6379, ":6380"]
              username: registry
              password: asecret
              db: 3
              dialtimeout: 250ms
              readtimeout: 2s
              writetimeout: 3s
            """);

        Assert.Equal(["redis-0:6379", "localhost:6380"], options.EndPoints.Select(Name));
        Assert.Equal("registry", options.User);
        Assert.Equal("asecret", options.Password);
        Assert.Equal(3, options.DefaultDatabase);
        Assert.Equal(250, options.ConnectTimeout);
        Assert.Equal(3000, options.SyncTimeout);
        Assert.Equal(3000, options.AsyncTimeout);
        Assert.False(options.Ssl);
        Assert.Null(options.ServiceName);
    }

    [Fact]
    public void A_lost_connection_is_tried_again_at_least_every_two_seconds_however_long_redis_was_away()
    {
        // The library's default policy backs off to between 5 and 10 s, so a replica could refuse
        // changes ("the event store is unavailable") for up to 10 s after Redis was back, and two
        // replicas recovered seconds apart (found by the resilience suite's Redis scenario).
        var policy = Apply("redis:\n  addr: localhost:6379\n").ReconnectRetryPolicy;

        Assert.All(Enumerable.Range(0, 200), attempt => Assert.True(
            policy.ShouldRetry(currentRetryCount: 50 + attempt, timeElapsedMillisecondsSinceLastRetry: 2000),
            $"attempt {50 + attempt} waited longer than 2 s"));
        Assert.False(policy.ShouldRetry(currentRetryCount: 1, timeElapsedMillisecondsSinceLastRetry: 100), "a reconnect is tried again without any pause");
    }

    [Fact]
    public void Mastername_makes_the_addresses_sentinels_of_that_service()
    {
        var options = Apply("redis:\n  addrs: [s-0:26379, s-1:26379, s-2:26379]\n  mastername: mymaster\n");

        Assert.Equal("mymaster", options.ServiceName);
        Assert.Equal(3, options.EndPoints.Count);
    }

    [Fact]
    public void The_section_replaces_the_connection_strings_address_and_keeps_what_it_does_not_set()
    {
        var options = ConfigurationOptions.Parse("other:1234,password=from-the-apphost,connectTimeout=777");

        RedisClientOptions.Load(Section("redis:\n  addr: redis:6379\n")).ApplyTo(options);

        Assert.Equal(["redis:6379"], options.EndPoints.Select(Name));
        Assert.Equal("from-the-apphost", options.Password);
        Assert.Equal(777, options.ConnectTimeout);
    }

    [Fact]
    public void Tls_enabled_turns_on_TLS_and_rootcas_and_a_client_certificate_are_loaded()
    {
        using var authority = TestCertificates.CreateAuthority("Redis CA");
        using var client = TestCertificates.CreateClient(authority, "registry");
        var (certificate, key) = TestCertificates.WritePem(client, _directory.Path, "client");
        var ca = TestCertificates.WriteCertificatePem(_directory.Path, "ca", authority);

        var loaded = RedisClientOptions.Load(Section($"redis:\n  addr: r:6379\n  tls:\n    certificate: {certificate}\n    key: {key}\n    rootcas: [{ca}]\n"));
        var options = new ConfigurationOptions();
        loaded.ApplyTo(options);

        Assert.True(options.Ssl);
        Assert.Equal(client.Thumbprint, loaded.ClientCertificate?.Thumbprint);
        Assert.True(loaded.ClientCertificate?.HasPrivateKey);
        Assert.Equal(authority.Thumbprint, Assert.Single(loaded.RootCas!).Thumbprint);
    }

    [Fact]
    public void Without_timeouts_or_tls_the_clients_defaults_stay()
    {
        var defaults = new ConfigurationOptions();

        var options = Apply("redis:\n  addr: r:6379\n");

        Assert.Equal(defaults.ConnectTimeout, options.ConnectTimeout);
        Assert.Equal(defaults.SyncTimeout, options.SyncTimeout);
        Assert.False(options.Ssl);
    }

    [Fact]
    public void A_missing_client_certificate_names_redis_tls_certificate()
    {
        var missing = Path.Combine(_directory.Path, "nope.crt");

        var error = Assert.Throws<RegistryConfigurationException>(() =>
            RedisClientOptions.Load(Section($"redis:\n  addr: r:6379\n  tls:\n    certificate: {missing}\n    key: {missing}\n")));

        Assert.StartsWith($"redis.tls.certificate: cannot read '{missing}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_is_not_the_certificates_names_redis_tls_key()
    {
        using var authority = TestCertificates.CreateAuthority("Redis CA");
        using var client = TestCertificates.CreateClient(authority, "registry");
        using var other = TestCertificates.CreateClient(authority, "other");
        var (certificate, _) = TestCertificates.WritePem(client, _directory.Path, "client");
        var (_, wrongKey) = TestCertificates.WritePem(other, _directory.Path, "other");

        var error = Assert.Throws<RegistryConfigurationException>(() =>
            RedisClientOptions.Load(Section($"redis:\n  addr: r:6379\n  tls:\n    certificate: {certificate}\n    key: {wrongKey}\n")));

        Assert.StartsWith($"redis.tls.key: '{wrongKey}' and redis.tls.certificate '{certificate}' do not make a client certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rootcas_file_without_a_certificate_names_its_entry()
    {
        using var authority = TestCertificates.CreateAuthority("Good");
        var ca = TestCertificates.WriteCertificatePem(_directory.Path, "good", authority);
        var empty = Path.Combine(_directory.Path, "empty.pem");
        File.WriteAllText(empty, "not a certificate\n");

        var error = Assert.Throws<RegistryConfigurationException>(() =>
            RedisClientOptions.Load(Section($"redis:\n  addr: r:6379\n  tls:\n    rootcas: [{ca}, {empty}]\n")));

        Assert.Equal($"redis.tls.rootcas[1]: '{empty}' holds no PEM certificate", error.Message);
    }

    [Fact]
    public void An_unreadable_rootcas_file_names_its_entry()
    {
        var missing = Path.Combine(_directory.Path, "missing-ca.pem");

        var error = Assert.Throws<RegistryConfigurationException>(() =>
            RedisClientOptions.Load(Section($"redis:\n  addr: r:6379\n  tls:\n    rootcas: [{missing}]\n")));

        Assert.StartsWith($"redis.tls.rootcas[0]: cannot read '{missing}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Logging_the_section_does_not_reveal_the_password()
    {
        Assert.DoesNotContain("asecret", Section("redis:\n  addr: r:6379\n  password: asecret\n").ToString(), StringComparison.Ordinal);
    }

    private static ConfigurationOptions Apply(string yaml)
    {
        var options = new ConfigurationOptions();
        RedisClientOptions.Load(Section(yaml)).ApplyTo(options);
        return options;
    }

    private static RedisConfiguration Section(string yaml) =>
        RegistryConfigurationLoader.Parse("version: 0.1\nstorage:\n  inmemory:\n" + yaml, new Dictionary<string, string?>()).Configuration.Redis!;

    private static string Name(EndPoint endpoint) => endpoint is DnsEndPoint dns ? $"{dns.Host}:{dns.Port}" : endpoint.ToString()!;
}
