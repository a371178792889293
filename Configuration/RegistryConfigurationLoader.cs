using System.Collections;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RegistryCloud.Configuration;

/// <summary>
/// Loads Distribution's <c>config.yml</c> (version 0.1) and applies <c>REGISTRY_*</c>
/// environment overrides the way Distribution does. Invalid values throw a
/// <see cref="RegistryConfigurationException"/> naming the key; unknown keys and keys
/// RegistryCloud does not implement come back as warnings. Files the configuration names are
/// checked separately, by <see cref="ValidateFiles(RegistryConfiguration, Func{string, bool})"/>,
/// because not every service needs every file.
/// </summary>
public static class RegistryConfigurationLoader
{
    /// <summary>Names the configuration file when <c>Load</c> is given none.</summary>
    public const string ConfigurationPathVariable = EnvironmentOverrides.ConfigurationPathVariable;

    /// <summary>
    /// The configuration used when there is no file: the one the <c>registry</c> image ships in
    /// <c>/etc/docker/registry/config.yml</c>, so overrides behave as they do on that image.
    /// </summary>
    public const string DefaultYaml = """
        version: 0.1
        log:
          fields:
            service: registry
        storage:
          cache:
            blobdescriptor: inmemory
          filesystem:
            rootdirectory: /var/lib/registry
        http:
          addr: :5000
          headers:
            X-Content-Type-Options: [nosniff]
        health:
          storagedriver:
            enabled: true
            interval: 10s
            threshold: 3
        """;

    /// <summary>
    /// Loads <paramref name="yamlPath"/>, or the file <c>REGISTRY_CONFIGURATION_PATH</c> names, or
    /// <see cref="DefaultYaml"/> when neither is given; then applies the environment's overrides.
    /// </summary>
    public static RegistryConfigurationLoadResult Load(string? yamlPath, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var path = yamlPath ?? (environment.GetValueOrDefault(ConfigurationPathVariable) is { Length: > 0 } named ? named : null);
        if (path is null)
        {
            return Parse(DefaultYaml, environment, sourcePath: null);
        }

        if (!File.Exists(path))
        {
            var origin = yamlPath is null ? $" (from {ConfigurationPathVariable})" : string.Empty;
            throw new RegistryConfigurationException($"configuration file '{path}' does not exist{origin}");
        }

        return Parse(File.ReadAllText(path), environment, path);
    }

    /// <summary>Loads from the process's own environment variables.</summary>
    public static RegistryConfigurationLoadResult LoadFromProcess(string? yamlPath = null) =>
        Load(yamlPath, ProcessEnvironment());

    /// <summary>Reads configuration text; <paramref name="sourcePath"/> only names it in messages.</summary>
    public static RegistryConfigurationLoadResult Parse(
        string yaml, IReadOnlyDictionary<string, string?> environment, string? sourcePath = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(environment);
        var context = new ConfigContext();
        var root = ParseYaml(yaml, sourcePath ?? "config.yml");
        ExpandShorthand(root, "storage");
        ExpandShorthand(root, "auth");
        EnvironmentOverrides.Apply(root, environment, context);
        var configuration = RegistryConfigurationReader.Read(root, context);
        context.WarnUnreadKeys();
        return new RegistryConfigurationLoadResult(configuration, context.Warnings, sourcePath);
    }

    /// <summary>
    /// Throws, naming every key whose file is missing: <c>http.tls.certificate</c>, <c>http.tls.key</c>,
    /// <c>http.tls.clientcas</c>, <c>auth.htpasswd.path</c>, <c>auth.token.rootcertbundle</c>,
    /// <c>auth.token.jwks</c> and the <c>redis.tls</c> files.
    /// </summary>
    public static void ValidateFiles(RegistryConfiguration configuration, Func<string, bool> fileExists)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(fileExists);
        var missing = RegistryConfigurationFiles.Missing(configuration, fileExists);
        if (missing.Count > 0)
        {
            throw new RegistryConfigurationException(missing);
        }
    }

    /// <summary><see cref="ValidateFiles(RegistryConfiguration, Func{string, bool})"/> against the real file system.</summary>
    public static void ValidateFiles(RegistryConfiguration configuration) => ValidateFiles(configuration, File.Exists);

    /// <summary>
    /// The <c>REGISTRY_*</c> entries of an <see cref="IConfiguration"/> (environment variables arrive
    /// there under their own names), for services that take their settings from the host builder.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> RegistryVariables(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.AsEnumerable()
            .Where(pair => pair.Value is not null
                && pair.Key.StartsWith(EnvironmentOverrides.Prefix, StringComparison.Ordinal)
                && !pair.Key.Contains(':', StringComparison.Ordinal))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
    }

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }

        return variables;
    }

    private static YamlMappingNode ParseYaml(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            throw new RegistryConfigurationException(
                $"{source}: line {exception.Start.Line}, column {exception.Start.Column}: {exception.Message}", exception);
        }

        if (stream.Documents.Count > 1)
        {
            throw new RegistryConfigurationException($"{source}: holds {stream.Documents.Count} YAML documents; a configuration is one");
        }

        return stream.Documents.Count == 0 || ConfigSection.IsNull(stream.Documents[0].RootNode)
            ? new YamlMappingNode()
            : stream.Documents[0].RootNode as YamlMappingNode
                ?? throw new RegistryConfigurationException($"{source}: expected a mapping of sections (version, log, storage, http, ...)");
    }

    // Distribution reads "storage: inmemory" as "storage: {inmemory: }", and "auth: silly" alike.
    private static void ExpandShorthand(YamlMappingNode root, string key)
    {
        var entry = root.Children.FirstOrDefault(pair => pair.Key is YamlScalarNode { Value: { } name } && name == key);
        if (entry.Value is YamlScalarNode { Value: { Length: > 0 } choice } && !ConfigSection.IsNull(entry.Value))
        {
            root.Children[entry.Key] = new YamlMappingNode { { choice, new YamlScalarNode() } };
        }
    }
}
