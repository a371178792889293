namespace RegistryCloud.Configuration;

/// <summary><c>validation</c>: checks applied to pushed manifests.</summary>
public sealed record ValidationConfiguration
{
    /// <summary>
    /// <c>validation.disabled</c> (or <c>validation.enabled: false</c>, its deprecated form): the
    /// <c>manifests.urls</c> expressions are not applied.
    /// </summary>
    public bool Disabled { get; init; }

    /// <summary><c>validation.manifests.urls.allow</c>: regular expressions foreign-layer URLs must match.</summary>
    public IReadOnlyList<string> ManifestUrlsAllow { get; init; } = [];

    /// <summary><c>validation.manifests.urls.deny</c>: regular expressions foreign-layer URLs must not match.</summary>
    public IReadOnlyList<string> ManifestUrlsDeny { get; init; } = [];

    /// <summary><c>validation.manifests.indexes.platforms</c>: all (default), none or list.</summary>
    public string IndexPlatforms { get; init; } = "all";

    /// <summary><c>validation.manifests.indexes.platformlist</c>, checked when <see cref="IndexPlatforms"/> is list.</summary>
    public IReadOnlyList<PlatformConfiguration> IndexPlatformList { get; init; } = [];
}

/// <summary>An entry of <c>validation.manifests.indexes.platformlist</c>.</summary>
public sealed record PlatformConfiguration(string Architecture, string Os);

