namespace RegistryCloud.Configuration;

/// <summary>Reads <c>log</c>, and the deprecated top-level <c>loglevel</c> it replaced.</summary>
internal static class LogSectionReader
{
    private static readonly string[] Levels = ["error", "warn", "info", "debug"];

    public static LogConfiguration Read(ConfigSection root)
    {
        var log = root.Section("log");
        var legacyLevel = root.OneOf("loglevel", Levels);
        var level = log.OneOf("level", Levels) ?? legacyLevel ?? "info";
        var formatter = log.OneOf("formatter", "text", "json", "logstash") ?? "text";
        log.NotImplemented("hooks", "log hooks (mail on error)");
        log.NotImplemented("reportcaller", "log.reportcaller");
        return new LogConfiguration
        {
            Level = level switch
            {
                "error" => RegistryLogLevel.Error,
                "warn" => RegistryLogLevel.Warn,
                "debug" => RegistryLogLevel.Debug,
                _ => RegistryLogLevel.Info,
            },
            Formatter = formatter switch
            {
                "json" => LogFormatter.Json,
                "logstash" => LogFormatter.Logstash,
                _ => LogFormatter.Text,
            },
            Fields = log.StringMap("fields"),
            AccessLogDisabled = log.Section("accesslog").Bool("disabled") ?? false,
        };
    }
}
