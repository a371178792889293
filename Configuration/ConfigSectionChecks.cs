namespace RegistryCloud.Configuration;

/// <summary>Reads of values whose form is checked beyond their type: addresses and URLs.</summary>
internal static class ConfigSectionChecks
{
    /// <summary>A <c>host:port</c> address, as <c>http.addr</c>, <c>redis.addr</c> and the like take.</summary>
    public static string? Address(this ConfigSection section, string key)
    {
        if (section.String(key) is not { } text)
        {
            return null;
        }

        return HostPort.TryParse(text, out _, out var problem) ? text : throw section.Error(key, $"'{text}' {problem}");
    }

    /// <summary>Every entry of a list of <c>host:port</c> addresses.</summary>
    public static IReadOnlyList<string> Addresses(this ConfigSection section, string key)
    {
        var addresses = section.StringList(key);
        for (var i = 0; i < addresses.Count; i++)
        {
            if (!HostPort.TryParse(addresses[i], out _, out var problem))
            {
                throw new RegistryConfigurationException($"{section.PathOf(key)}[{i}]: '{addresses[i]}' {problem}");
            }
        }

        return addresses;
    }

    /// <summary>An absolute http or https URL.</summary>
    public static string? HttpUrl(this ConfigSection section, string key)
    {
        if (section.String(key) is not { } text)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? text
            : throw section.Error(key, $"'{text}' is not an absolute http or https URL");
    }

    public static string RequiredHttpUrl(this ConfigSection section, string key) =>
        section.HttpUrl(key) ?? throw section.Error(key, "is required");

    /// <summary>Exactly one of the keys in <paramref name="choices"/> is set, or none; two are an error.</summary>
    public static string? SingleChoice(this ConfigSection section, IEnumerable<string> choices, string what)
    {
        var chosen = section.Keys.Where(choices.Contains).ToList();
        return chosen.Count switch
        {
            0 => null,
            1 => chosen[0],
            _ => throw new RegistryConfigurationException(
                $"{section.Path}: '{chosen[0]}' and '{chosen[1]}' are both configured; choose exactly one {what}"),
        };
    }
}
