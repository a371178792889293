using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RegistryCloud.Events.Redis;

/// <summary>
/// The logger factory StackExchange.Redis writes through, with its connection failures lowered to
/// Debug: it logs each failed reconnect attempt as an error with the exception, seconds apart, for
/// as long as Redis stays unreachable. <see cref="RedisConnectionLog"/> says the same once per
/// change; the detail is still there at Debug for whoever looks.
/// </summary>
internal sealed class RedisClientLoggerFactory(ILoggerFactory inner, RedisConnectionLog connections) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName), connections);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The host owns the inner factory.
    public void Dispose()
    {
    }

    private sealed class Logger(ILogger inner, RedisConnectionLog connections) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel) || inner.IsEnabled(LogLevel.Debug);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is RedisConnectionException failure && logLevel >= LogLevel.Warning)
            {
                connections.Failed(failure);
            }

            var level = exception is not null && logLevel >= LogLevel.Warning ? LogLevel.Debug : logLevel;
            if (inner.IsEnabled(level))
            {
                inner.Log(level, eventId, state, exception, formatter);
            }
        }
    }
}
