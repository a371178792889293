using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>Keeps every formatted log line with its category, so tests can read what the gateway wrote.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _lines = new();

    public IReadOnlyCollection<CapturedLog> Lines => _lines.ToArray();

    /// <summary>
    /// The first line that matches, waiting for it a little: the access log is written once the
    /// pipeline unwinds, which can be just after the client has its response.
    /// </summary>
    public async Task<CapturedLog> WaitForAsync(Func<CapturedLog, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var line = _lines.FirstOrDefault(match);
            if (line is not null)
            {
                return line;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no log line matched; lines:\n" + string.Join("\n", _lines.Select(log => log.Message)));
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception)));
    }
}

internal sealed record CapturedLog(string Category, LogLevel Level, string Message);
