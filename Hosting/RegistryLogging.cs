using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using RegistryCloud.Configuration;

namespace RegistryCloud.Hosting;

/// <summary>
/// <c>log.level</c> and <c>log.formatter</c> applied to a service's logging: the level becomes the
/// default filter (categories configured in appsettings keep their own), <c>json</c> and
/// <c>logstash</c> switch the console to one JSON object per line, and <c>log.fields</c> ride on
/// every record as a logging scope.
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

        if (log.Fields.Count > 0)
        {
            AddFields(services, log.Fields);
        }

        return services;
    }

    // The host registers LoggerFactory as ILoggerFactory; it stays the one that does the work,
    // built by the container as before, and the decorator takes its place.
    private static void AddFields(IServiceCollection services, IReadOnlyDictionary<string, string> fields)
    {
        services.AddSingleton<LoggerFactory>();
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider =>
            new RegistryLogFieldsLoggerFactory(provider.GetRequiredService<LoggerFactory>(), fields)));
        // The console prints scopes only when asked; without them the fields would not show. With
        // no formatter named, the console copies its legacy options over the simple formatter's,
        // scopes off included, so the formatter is named.
        services.PostConfigure<ConsoleLoggerOptions>(options => options.FormatterName ??= ConsoleFormatterNames.Simple);
        services.Configure<SimpleConsoleFormatterOptions>(options => options.IncludeScopes = true);
        services.Configure<JsonConsoleFormatterOptions>(options => options.IncludeScopes = true);
    }

    public static LogLevel ToLogLevel(RegistryLogLevel level) => level switch
    {
        RegistryLogLevel.Error => LogLevel.Error,
        RegistryLogLevel.Warn => LogLevel.Warning,
        RegistryLogLevel.Debug => LogLevel.Debug,
        _ => LogLevel.Information,
    };
}
