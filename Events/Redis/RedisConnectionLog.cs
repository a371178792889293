using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RegistryCloud.Events.Redis;

/// <summary>
/// Says in one line why Redis cannot be reached (refused credentials above all) and when it is
/// back, once per change rather than once per reconnect attempt: the client retries by itself,
/// and a log full of repeated stack traces would hide the cause.
/// </summary>
internal sealed partial class RedisConnectionLog(IServiceProvider services, ILogger<RedisConnectionLog> logger) : IHostedService
{
    private readonly ConcurrentDictionary<string, ConnectionFailureType> _failing = new(StringComparer.Ordinal);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Connecting blocks for up to the connect timeout; the service starts meanwhile.
        _ = Task.Run(Watch, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Watch()
    {
        IConnectionMultiplexer redis;
        try
        {
            redis = services.GetRequiredService<IConnectionMultiplexer>();
        }
        catch (Exception e) when (e is RedisException or InvalidOperationException or ObjectDisposedException)
        {
            LogUnusable(logger, e.Message);
            return;
        }

        redis.ConnectionFailed += (_, failure) => Failed(failure);
        redis.ConnectionRestored += (_, restored) =>
        {
            if (_failing.TryRemove(Name(restored.EndPoint), out ConnectionFailureType _))
            {
                LogRestored(logger, Name(restored.EndPoint));
            }
        };
        if (!redis.IsConnected)
        {
            LogNotConnected(logger, string.Join(", ", redis.GetEndPoints().Select(Name)));
        }
    }

    private void Failed(ConnectionFailedEventArgs failure)
    {
        var endpoint = Name(failure.EndPoint);
        if (_failing.TryGetValue(endpoint, out var previous) && previous == failure.FailureType)
        {
            return;
        }

        _failing[endpoint] = failure.FailureType;
        var reason = failure.Exception?.Message ?? failure.FailureType.ToString();
        if (failure.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            LogRefused(logger, endpoint, reason);
        }
        else
        {
            LogFailed(logger, endpoint, failure.FailureType, reason);
        }
    }

    private static string Name(EndPoint? endpoint) => endpoint switch
    {
        null => "(unknown)",
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "(unknown)",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis at {Endpoint} refused the credentials (check redis.username and redis.password): {Reason}")]
    private static partial void LogRefused(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {Endpoint} is unreachable ({FailureType}): {Reason}; retrying")]
    private static partial void LogFailed(ILogger logger, string endpoint, ConnectionFailureType failureType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis at {Endpoint} is reachable again")]
    private static partial void LogRestored(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis ({Endpoints}) is not connected yet; the client keeps trying in the background")]
    private static partial void LogNotConnected(ILogger logger, string endpoints);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Redis client could not be made: {Reason}")]
    private static partial void LogUnusable(ILogger logger, string reason);
}
