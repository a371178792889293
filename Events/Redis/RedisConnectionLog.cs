using System.Net;
using System.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RegistryCloud.Events.Redis;

/// <summary>
/// Says in one line why Redis cannot be reached (refused credentials above all) and when it is
/// back: once per kind of failure until it is back, not once per reconnect attempt. The client retries by itself,
/// and a log full of repeated stack traces would hide the cause. Failures come from the client's
/// own log (<see cref="RedisClientLoggerFactory"/>), which sees the first connect too, before
/// anyone could subscribe to the multiplexer's events.
/// </summary>
internal sealed partial class RedisConnectionLog(IServiceProvider services, ILogger<RedisConnectionLog> logger) : IHostedService
{
    // The kinds of failure logged since Redis was last reachable: a reconnect loop can alternate
    // between kinds (refused, then the socket closed by the server, then refused again).
    private readonly HashSet<ConnectionFailureType> _failing = [];

    /// <summary>The addresses the client was given, for the messages.</summary>
    public string Endpoints { get; set; } = "";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Connecting blocks for up to the connect timeout; the service starts meanwhile.
        _ = Task.Run(Watch, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Logs <paramref name="failure"/> unless one of its kind was logged since Redis was last reachable.</summary>
    public void Failed(RedisConnectionException failure)
    {
        lock (_failing)
        {
            if (!_failing.Add(failure.FailureType))
            {
                return;
            }
        }

        var innermost = Innermost(failure);
        var reason = innermost.Message;
        if (innermost is AuthenticationException || failure.InnerException is AuthenticationException)
        {
            // The client files a failed TLS handshake under AuthenticationFailure too.
            LogTlsFailed(logger, Endpoints, reason);
        }
        else if (failure.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            LogRefused(logger, Endpoints, reason);
        }
        else
        {
            LogFailed(logger, Endpoints, failure.FailureType, reason);
        }
    }

    private void Restored(EndPoint? endpoint)
    {
        lock (_failing)
        {
            if (_failing.Count == 0)
            {
                return;
            }

            _failing.Clear();
        }

        LogRestored(logger, endpoint?.ToString() ?? Endpoints);
    }

    private void Watch()
    {
        try
        {
            var redis = services.GetRequiredService<IConnectionMultiplexer>();
            redis.ConnectionRestored += (_, restored) => Restored(restored.EndPoint);
            if (redis.IsConnected)
            {
                Restored(null);
            }
        }
        catch (Exception e) when (e is RedisException or InvalidOperationException or ObjectDisposedException)
        {
            LogUnusable(logger, e.Message);
        }
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis ({Endpoints}) refused the credentials; check redis.username and redis.password. The client keeps retrying: {Reason}")]
    private static partial void LogRefused(ILogger logger, string endpoints, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis ({Endpoints}): the TLS handshake failed; check redis.tls (rootcas, certificate, key). The client keeps retrying: {Reason}")]
    private static partial void LogTlsFailed(ILogger logger, string endpoints, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis ({Endpoints}) is unreachable ({FailureType}); the client keeps retrying: {Reason}")]
    private static partial void LogFailed(ILogger logger, string endpoints, ConnectionFailureType failureType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis ({Endpoint}) is reachable again")]
    private static partial void LogRestored(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Redis client could not be made: {Reason}")]
    private static partial void LogUnusable(ILogger logger, string reason);
}
