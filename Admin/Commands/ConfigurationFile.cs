using System.CommandLine;
using RegistryCloud.Configuration;

namespace RegistryCloud.Admin.Commands;

/// <summary>
/// The <c>&lt;config.yml&gt;</c> argument the configuration verbs share, and loading it exactly as
/// the services do: the file, else <c>REGISTRY_CONFIGURATION_PATH</c>, then <c>REGISTRY_*</c> overrides.
/// </summary>
internal static class ConfigurationFile
{
    public static Argument<string?> CreateArgument() => new("config.yml")
    {
        Description = $"The configuration file; defaults to the file {RegistryConfigurationLoader.ConfigurationPathVariable} names. " +
            "REGISTRY_* environment variables override it as they do in the services.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static RegistryConfigurationLoadResult Load(AdminConsole console, string? path)
    {
        if (path is null && console.Environment.GetValueOrDefault(RegistryConfigurationLoader.ConfigurationPathVariable) is not { Length: > 0 })
        {
            throw new AdminException(
                $"no configuration file: give its path or set {RegistryConfigurationLoader.ConfigurationPathVariable}");
        }

        return RegistryConfigurationLoader.Load(path, console.Environment);
    }

    /// <summary>A directory given on the command line or in the configuration; refused when missing.</summary>
    public static string ExistingDirectory(string key, string directory) =>
        Directory.Exists(directory) ? directory : throw new AdminException($"{key}: directory '{directory}' does not exist");
}
