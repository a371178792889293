using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using RegistryCloud.Hosting;

namespace RegistryCloud.Configuration.Tests.Hosting;

/// <summary><c>log.fields</c> ride on every record of every logger, as a scope any provider sees.</summary>
public sealed class RegistryLogFieldsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "registrycloud-logfields-" + Guid.NewGuid().ToString("N"));

    public RegistryLogFieldsTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void Every_record_carries_the_configured_fields()
    {
        var capture = new CapturingProvider();
        using var provider = Build(capture, """
            version: 0.1
            log:
              fields:
                service: registry
                environment: staging
            storage: inmemory
            """);

        provider.GetRequiredService<ILogger<RegistryLogFieldsTests>>().LogWarning("first");
        provider.GetRequiredService<ILoggerFactory>().CreateLogger("Another.Category").LogInformation("second");

        Assert.Equal(2, capture.Records.Count);
        foreach (var record in capture.Records)
        {
            Assert.Contains(new KeyValuePair<string, object?>("service", "registry"), record.Fields);
            Assert.Contains(new KeyValuePair<string, object?>("environment", "staging"), record.Fields);
        }
    }

    [Fact]
    public void Fields_make_the_console_print_scopes()
    {
        using var provider = Build(new CapturingProvider(), """
            version: 0.1
            log:
              fields:
                service: registry
            storage: inmemory
            """);

        // Unnamed, the console would copy its legacy options (scopes off) over the formatter's.
        Assert.Equal(ConsoleFormatterNames.Simple, provider.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
        Assert.True(provider.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue.IncludeScopes);
        Assert.True(provider.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.IncludeScopes);
    }

    [Fact]
    public void Without_fields_records_carry_none()
    {
        var capture = new CapturingProvider();
        using var provider = Build(capture, """
            version: 0.1
            storage: inmemory
            """);

        provider.GetRequiredService<ILogger<RegistryLogFieldsTests>>().LogWarning("plain");

        Assert.Empty(Assert.Single(capture.Records).Fields);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ServiceProvider Build(CapturingProvider capture, string yaml)
    {
        var path = Path.Combine(_directory, "config.yml");
        File.WriteAllText(path, yaml);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new(RegistryConfigurationLoader.ConfigurationPathVariable, path)])
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(capture).AddConsole());
        services.AddRegistryConfiguration(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Records each entry with the key/value pairs of the scopes around it.</summary>
    private sealed class CapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public List<(string Message, List<KeyValuePair<string, object?>> Fields)> Records { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var fields = new List<KeyValuePair<string, object?>>();
                owner._scopes.ForEachScope(
                    (scope, list) =>
                    {
                        if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                        {
                            list.AddRange(pairs);
                        }
                    },
                    fields);
                lock (owner.Records)
                {
                    owner.Records.Add((formatter(state, exception), fields));
                }
            }
        }
    }
}
