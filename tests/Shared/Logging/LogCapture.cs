using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// Keeps every formatted log line of a host with its category and level, so a test can read what
/// was written and a failing test can show it. Lines below <c>minimum</c> are dropped; categories
/// other than RegistryCloud's may be held to a higher level, to keep the framework's chatter out.
/// </summary>
public sealed class LogCapture(LogLevel minimum = LogLevel.Trace, LogLevel? minimumOutsideRegistryCloud = null) : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _lines = new();

    public IReadOnlyCollection<CapturedLog> Lines => _lines.ToArray();

    /// <summary>
    /// The first line that matches, waiting for it a little (5 s unless <c>timeout</c> says): a line
    /// can be written just after the client has its response (the access log is written once the
    /// pipeline unwinds).
    /// </summary>
    public async Task<CapturedLog> WaitForAsync(Func<CapturedLog, bool> match, TimeSpan? timeout = null) =>
        (await Poll.UntilAsync(
            () => Task.FromResult(_lines.FirstOrDefault(match)),
            line => line is not null,
            _ => "no log line matched; lines:\n" + string.Join("\n", _lines.Select(log => log.Message)),
            timeout ?? TimeSpan.FromSeconds(5)))!;

    public ILogger CreateLogger(string categoryName) =>
        new Logger(
            categoryName,
            categoryName.StartsWith("RegistryCloud", StringComparison.Ordinal) ? minimum : minimumOutsideRegistryCloud ?? minimum,
            _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, LogLevel minimum, ConcurrentQueue<CapturedLog> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), DateTimeOffset.UtcNow, exception));
            }
        }
    }
}

/// <summary>One log line; written out as the console would show it, exception included.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, DateTimeOffset At = default, Exception? Exception = null)
{
    public override string ToString() => $"{At:HH:mm:ss.fff} {Level} {Category}: {Message}{(Exception is null ? "" : " " + Exception)}";
}
