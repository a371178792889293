using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using RegistryCloud.Hosting;

namespace RegistryCloud.Configuration.Tests.Hosting;

/// <summary><c>log.level</c> and <c>log.formatter</c> reach a service's logging.</summary>
public sealed class RegistryLoggingTests
{
    [Theory]
    [InlineData("error", LogLevel.Error)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("debug", LogLevel.Debug)]
    public void The_configured_level_becomes_the_default_filter(string level, LogLevel expected)
    {
        using var provider = Build(("REGISTRY_LOG_LEVEL", level));

        var rules = provider.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules;
        Assert.Equal(expected, rules.Last(rule => rule.CategoryName is null && rule.ProviderName is null).LogLevel);
    }

    [Fact]
    public void The_json_formatter_switches_the_console_to_json()
    {
        using var provider = Build(("REGISTRY_LOG_FORMATTER", "json"));

        Assert.Equal(ConsoleFormatterNames.Json, provider.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
    }

    [Fact]
    public void The_text_formatter_leaves_the_console_as_it_is()
    {
        using var provider = Build(("REGISTRY_LOG_FORMATTER", "text"));

        Assert.NotEqual(ConsoleFormatterNames.Json, provider.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
    }

    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConsole());
        services.AddRegistryConfiguration(configuration);
        return services.BuildServiceProvider();
    }
}
