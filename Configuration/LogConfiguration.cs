namespace RegistryCloud.Configuration;

/// <summary><c>log</c>: how much to log, in which format, with which static fields.</summary>
public sealed record LogConfiguration
{
    /// <summary><c>log.level</c> (or the deprecated top-level <c>loglevel</c>); defaults to info.</summary>
    public RegistryLogLevel Level { get; init; } = RegistryLogLevel.Info;

    /// <summary><c>log.formatter</c>; defaults to text.</summary>
    public LogFormatter Formatter { get; init; } = LogFormatter.Text;

    /// <summary><c>log.fields</c>: static fields added to every log line.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    /// <summary><c>log.accesslog.disabled</c>.</summary>
    public bool AccessLogDisabled { get; init; }
}

/// <summary>The four levels Distribution accepts in <c>log.level</c>.</summary>
public enum RegistryLogLevel
{
    Error,
    Warn,
    Info,
    Debug,
}

/// <summary>The values of <c>log.formatter</c>.</summary>
public enum LogFormatter
{
    Text,
    Json,
    Logstash,
}
