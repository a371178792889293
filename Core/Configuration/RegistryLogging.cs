using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace RegistryCloud.Core.Configuration;

/// <summary>
/// <c>log.level</c> and <c>log.formatter</c> applied to a service's logging: the level becomes the
/// default filter (categories configured in appsettings keep their own), <c>json</c> and
/// <c>logstash</c> switch the console to one JSON object per line.
/// </summary>
public static class RegistryLogging
{
    public static IServiceCollection AddRegistryLogging(this IServiceCollection services, LogConfiguration log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var level = ToLogLevel(log.Level);
        // Added after configuration binding, so it wins over appsettings' "Default".
        services.Configure<LoggerFilterOptions>(options => options.Rules.Add(new LoggerFilterRule(null, null, level, null)));
        if (log.Formatter is LogFormatter.Json or LogFormatter.Logstash)
        {
            services.Configure<ConsoleLoggerOptions>(options => options.FormatterName = ConsoleFormatterNames.Json);
        }

        return services;
    }

    public static LogLevel ToLogLevel(RegistryLogLevel level) => level switch
    {
        RegistryLogLevel.Error => LogLevel.Error,
        RegistryLogLevel.Warn => LogLevel.Warning,
        RegistryLogLevel.Debug => LogLevel.Debug,
        _ => LogLevel.Information,
    };
}
