
namespace RegistryCloud.Configuration.Tests;

/// <summary>Shorthands for loading configuration text with a given environment.</summary>
internal static class Loading
{
    /// <summary>The smallest configuration Distribution accepts.</summary>
    public const string Minimal = "version: 0.1\nstorage: inmemory\n";

    public static string SeedPath => Path.Combine(AppContext.BaseDirectory, "Seed", "config.yml");

    public static IReadOnlyDictionary<string, string?> Environment(params (string Name, string? Value)[] variables) =>
        variables.ToDictionary(variable => variable.Name, variable => variable.Value, StringComparer.Ordinal);

    public static RegistryConfigurationLoadResult Parse(string yaml, params (string Name, string? Value)[] variables) =>
        RegistryConfigurationLoader.Parse(yaml, Environment(variables));

    public static RegistryConfiguration Configuration(string yaml, params (string Name, string? Value)[] variables) =>
        Parse(yaml, variables).Configuration;

    public static RegistryConfigurationLoadResult Seed(params (string Name, string? Value)[] variables) =>
        RegistryConfigurationLoader.Load(SeedPath, Environment(variables));

    /// <summary>The message of the configuration error that loading throws.</summary>
    public static string Error(string yaml, params (string Name, string? Value)[] variables) =>
        Assert.Throws<RegistryConfigurationException>(() => Parse(yaml, variables)).Message;
}
