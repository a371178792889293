using System.Text.RegularExpressions;

namespace RegistryCloud.Configuration;

/// <summary>Reads <c>validation</c>: manifest URL rules and image index platform checks.</summary>
internal static class ValidationSectionReader
{
    public static ValidationConfiguration Read(ConfigSection root)
    {
        var validation = root.Section("validation");
        var disabled = validation.Bool("disabled");
        var enabled = validation.Bool("enabled");
        var manifests = validation.Section("manifests");
        var urls = manifests.Section("urls");
        var indexes = manifests.Section("indexes");
        var platforms = indexes.OneOf("platforms", "all", "none", "list") ?? "all";
        if (platforms != "all")
        {
            manifests.NotApplied("indexes", "an image index is accepted only when every manifest it names is in the repository (platforms: all)");
        }

        return new ValidationConfiguration
        {
            Disabled = disabled ?? enabled == false,
            ManifestUrlsAllow = Patterns(urls, "allow"),
            ManifestUrlsDeny = Patterns(urls, "deny"),
            IndexPlatforms = platforms,
            IndexPlatformList = [.. indexes.SectionList("platformlist").Select(platform => new PlatformConfiguration(
                platform.RequiredString("architecture"), platform.RequiredString("os")))],
        };
    }

    private static IReadOnlyList<string> Patterns(ConfigSection urls, string key)
    {
        var patterns = urls.StringList(key);
        for (var i = 0; i < patterns.Count; i++)
        {
            try
            {
                _ = new Regex(patterns[i], RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException exception)
            {
                throw new RegistryConfigurationException(
                    $"{urls.PathOf(key)}[{i}]: '{patterns[i]}' is not a regular expression ({exception.Message})", exception);
            }
        }

        return patterns;
    }
}
