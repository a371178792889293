using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RegistryCloud.BlobService.Blobs.Cache;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Configuration;
using RegistryCloud.Tests.Shared;
using StackExchange.Redis;

namespace RegistryCloud.BlobService.Tests.Redis;

/// <summary>
/// The redis section applied against real redis-servers guarded as managed ones are: a password,
/// an ACL user with its own database, TLS only, and TLS that wants a client certificate. What
/// reaches Redis is read back from the server itself: the descriptor cache's membership key.
/// </summary>
public sealed class ProductionRedisTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly X509Certificate2 _authority = TestCertificates.CreateAuthority("Redis Test CA");
    private readonly X509Certificate2 _stranger = TestCertificates.CreateAuthority("Some Other CA");

    public void Dispose()
    {
        _authority.Dispose();
        _stranger.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_password_protected_redis_gets_the_cache_entries()
    {
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { Password = Secret() });
        await using var service = new RedisBlobService(_directory.Path, redis, $"  password: {redis.AdminOptions().Password}");

        var (repository, digest) = await PushAsync(service);

        Assert.NotNull(await MembershipAsync(redis, repository, digest, database: 0));
    }

    [Fact]
    public async Task An_ACL_user_with_db_3_writes_its_keys_in_database_3()
    {
        var password = Secret();
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { Password = Secret(), AclUser = ("registry", password) });
        await using var service = new RedisBlobService(_directory.Path, redis, $"  username: registry\n  password: {password}\n  db: 3");

        var (repository, digest) = await PushAsync(service);

        Assert.NotNull(await MembershipAsync(redis, repository, digest, database: 3));
        Assert.Null(await MembershipAsync(redis, repository, digest, database: 0));
        var client = (await redis.Connection.GetServer(redis.ConnectionString).ExecuteAsync("CLIENT", "LIST")).ToString();
        Assert.Contains("user=registry", client, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_one_clear_log_line_and_blobs_are_still_served()
    {
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { Password = Secret() });
        await using var service = new RedisBlobService(_directory.Path, redis, "  password: not-the-password");

        var (repository, digest) = await PushAsync(service);
        using var client = service.CreateRegistryClient();
        for (var i = 0; i < 3; i++)
        {
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"), TestContext.Current.CancellationToken);
            Assert.True(head.IsSuccessStatusCode);
        }

        var refused = await service.Log.WaitForAsync(line => line.Message.Contains("refused the credentials", StringComparison.Ordinal), Poll.DefaultTimeout);
        Assert.Contains("redis.password", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", string.Join("\n", service.Log.Lines.Select(line => line.Message + line.Exception)), StringComparison.Ordinal);
        Assert.Single(service.Log.Lines, line => line.Message.Contains("refused the credentials", StringComparison.Ordinal));
        // The client's own error per reconnect attempt, each with its stack trace, is not repeated at Error.
        Assert.DoesNotContain(service.Log.Lines, line => line.Category.StartsWith("StackExchange.Redis", StringComparison.Ordinal) && line.Level >= LogLevel.Warning);
        Assert.Null(await MembershipAsync(redis, repository, digest, database: 0));
    }

    [Fact]
    public async Task A_TLS_only_redis_is_reached_when_rootcas_trusts_its_CA()
    {
        await using var redis = await StartTlsAsync(authClients: false);
        var ca = TestCertificates.WriteCertificatePem(_directory.Path, "redis-ca", _authority);
        await using var service = new RedisBlobService(_directory.Path, redis, $"  tls:\n    enabled: true\n    rootcas: [{ca}]");

        var (repository, digest) = await PushAsync(service);

        Assert.NotNull(await MembershipAsync(redis, repository, digest, database: 0));
    }

    [Fact]
    public async Task A_redis_that_wants_client_certificates_is_reached_with_tls_certificate_and_key()
    {
        await using var redis = await StartTlsAsync(authClients: true);
        var ca = TestCertificates.WriteCertificatePem(_directory.Path, "redis-ca", _authority);
        using var clientCertificate = TestCertificates.CreateClient(_authority, "registry");
        var (certificate, key) = TestCertificates.WritePem(clientCertificate, _directory.Path, "registry-client");
        await using var service = new RedisBlobService(
            _directory.Path, redis, $"  tls:\n    certificate: {certificate}\n    key: {key}\n    rootcas: [{ca}]");

        var (repository, digest) = await PushAsync(service);

        Assert.NotNull(await MembershipAsync(redis, repository, digest, database: 0));
    }

    [Fact]
    public async Task A_TLS_redis_whose_CA_is_not_in_rootcas_is_refused()
    {
        await using var redis = await StartTlsAsync(authClients: false);
        var other = TestCertificates.WriteCertificatePem(_directory.Path, "other-ca", _stranger);
        await using var service = new RedisBlobService(_directory.Path, redis, $"  tls:\n    rootcas: [{other}]");

        var (repository, digest) = await PushAsync(service);

        var refused = await service.Log.WaitForAsync(line => line.Message.Contains("the TLS handshake failed", StringComparison.Ordinal), Poll.DefaultTimeout);
        Assert.Contains("redis.tls", refused.Message, StringComparison.Ordinal);
        Assert.False(service.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected);
        Assert.Null(await MembershipAsync(redis, repository, digest, database: 0));
    }

    [Fact]
    public async Task With_mastername_the_addresses_are_sentinels_that_lead_to_the_primary()
    {
        await using var primary = await RedisServer.StartAsync(new RedisServerOptions());
        await using var sentinel = await RedisServer.StartAsync(new RedisServerOptions { Sentinel = new RedisSentinel("registry-primary", primary, _directory.Path) });
        var section = $"  mastername: registry-primary\n  addrs: [{sentinel.ConnectionString}]";
        await using var service = new RedisBlobService(_directory.Path, sentinel, section, useAddr: false);

        var (repository, digest) = await PushAsync(service);

        Assert.NotNull(await MembershipAsync(primary, repository, digest, database: 0));
    }

    [Fact]
    public async Task A_client_certificate_path_that_does_not_exist_stops_start_up_naming_the_key()
    {
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions());
        var missing = Path.Combine(_directory.Path, "missing.crt");
        await using var service = new RedisBlobService(_directory.Path, redis, $"  tls:\n    certificate: {missing}\n    key: {missing}");

        var error = Assert.Throws<RegistryConfigurationException>(() => service.Services);

        Assert.StartsWith($"redis.tls.certificate: cannot read '{missing}'", error.Message, StringComparison.Ordinal);
    }

    private async Task<RedisServer> StartTlsAsync(bool authClients)
    {
        using var server = TestCertificates.CreateServer(_authority);
        var (certificate, key) = TestCertificates.WritePem(server, _directory.Path, $"redis-server-{Guid.NewGuid():N}");
        var clientCa = TestCertificates.WriteCertificatePem(_directory.Path, $"redis-client-ca-{Guid.NewGuid():N}", _authority);
        return await RedisServer.StartAsync(new RedisServerOptions
        {
            Tls = new RedisServerTls(certificate, key, clientCa, authClients, authClients ? TestCertificates.CreateClient(_authority, "admin") : null),
        });
    }

    private static async Task<(string Repository, string Digest)> PushAsync(RedisBlobService service)
    {
        using var client = service.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var digest = await client.PushBlobAsync(repository, TestContent.NewBlob());
        Assert.IsType<RedisBlobDescriptorCache>(service.Services.GetRequiredService<IBlobDescriptorCache>());
        return (repository, digest);
    }

    private static async Task<string?> MembershipAsync(RedisServer redis, string repository, string digest, int database) =>
        await redis.Connection.GetDatabase(database).StringGetAsync(
            $"{new BlobDescriptorCacheOptions().RedisKeyPrefix}repository::{repository}::blobs::{digest}");

    private static string Secret() => Guid.NewGuid().ToString("N");
}
