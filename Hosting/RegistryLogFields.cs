using System.Collections;
using Microsoft.Extensions.Logging;

namespace RegistryCloud.Hosting;

/// <summary>
/// <c>log.fields</c> on every record: a logger factory that wraps each logger so every entry is
/// written inside a scope holding the fields. Scopes are what every provider already carries —
/// the JSON console writes them as properties, OpenTelemetry as attributes — so the fields reach
/// the console, the dashboard and any exporter without a provider of our own.
/// </summary>
internal sealed class RegistryLogFieldsLoggerFactory(ILoggerFactory inner, IReadOnlyDictionary<string, string> fields) : ILoggerFactory
{
    private readonly Fields _fields = new(fields);

    public ILogger CreateLogger(string categoryName) => new FieldsLogger(inner.CreateLogger(categoryName), _fields);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The container built the inner factory and disposes it.
    public void Dispose()
    {
    }

    private sealed class FieldsLogger(ILogger inner, Fields fields) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Checked first so a filtered-out entry costs no scope.
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            using (inner.BeginScope(fields))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }

    /// <summary>The fields as a structured scope state: key/value pairs, printed as <c>key=value</c>.</summary>
    internal sealed class Fields(IReadOnlyDictionary<string, string> fields) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _pairs =
            [.. fields.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new KeyValuePair<string, object?>(pair.Key, pair.Value))];

        private readonly string _text = string.Join(' ', fields.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));

        public int Count => _pairs.Length;

        public KeyValuePair<string, object?> this[int index] => _pairs[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_pairs).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => _text;
    }
}
