using System.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RegistryCloud.Events.Redis;
using RegistryCloud.Tests.Shared;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Tests.Events;

/// <summary>What a service says when Redis cannot be reached: each kind of failure once, the cause named.</summary>
public sealed class RedisConnectionLogTests
{
    [Fact]
    public void A_reconnect_loop_that_alternates_between_failures_logs_each_kind_once()
    {
        var (log, capture) = Create();

        foreach (var type in new[] { ConnectionFailureType.AuthenticationFailure, ConnectionFailureType.SocketClosed, ConnectionFailureType.AuthenticationFailure, ConnectionFailureType.SocketClosed })
        {
            log.Failed(new RedisConnectionException(type, "attempt", new InvalidOperationException("WRONGPASS invalid username-password pair")));
        }

        Assert.Collection(
            capture.Lines.Select(line => line.Message),
            refused => Assert.Equal(
                "Redis (redis:6379) refused the credentials; check redis.username and redis.password. The client keeps retrying: WRONGPASS invalid username-password pair",
                refused),
            closed => Assert.StartsWith("Redis (redis:6379) is unreachable (SocketClosed)", closed, StringComparison.Ordinal));
    }

    [Fact]
    public void A_rejected_server_certificate_is_told_apart_from_refused_credentials()
    {
        var (log, capture) = Create();

        log.Failed(new RedisConnectionException(
            ConnectionFailureType.AuthenticationFailure, "handshake", new AuthenticationException("The remote certificate was rejected")));

        var line = Assert.Single(capture.Lines);
        Assert.Contains("the TLS handshake failed; check redis.tls", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("redis.password", line.Message, StringComparison.Ordinal);
    }

    private static (RedisConnectionLog Log, LogCapture Capture) Create()
    {
        var capture = new LogCapture();
        var loggers = LoggerFactory.Create(logging => logging.AddProvider(capture));
        var log = new RedisConnectionLog(new ServiceCollection().BuildServiceProvider(), loggers.CreateLogger<RedisConnectionLog>()) { Endpoints = "redis:6379" };
        return (log, capture);
    }
}
