namespace RegistryCloud.Configuration;

/// <summary>
/// A loaded configuration, the warnings to log at start-up (unknown keys, settings RegistryCloud
/// does not implement), and the file it came from (null for the built-in defaults).
/// </summary>
public sealed record RegistryConfigurationLoadResult(
    RegistryConfiguration Configuration,
    IReadOnlyList<string> Warnings,
    string? SourcePath);

