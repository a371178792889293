namespace RegistryCloud.Configuration;

/// <summary>
/// The whole registry configuration: Distribution's <c>config.yml</c> schema, version 0.1, after
/// <c>REGISTRY_*</c> environment overrides. Every service reads the same one; build it with
/// <see cref="RegistryConfigurationLoader"/>. A property's summary names its YAML key.
/// </summary>
public sealed record RegistryConfiguration
{
    public const string SupportedVersion = "0.1";

    /// <summary><c>version</c>: always <c>0.1</c>.</summary>
    public string Version { get; init; } = SupportedVersion;

    /// <summary><c>log</c> (and the deprecated top-level <c>loglevel</c>).</summary>
    public LogConfiguration Log { get; init; } = new();

    /// <summary><c>storage</c>.</summary>
    public StorageConfiguration Storage { get; init; } = new();

    /// <summary><c>http</c>.</summary>
    public HttpConfiguration Http { get; init; } = new();

    /// <summary><c>auth</c>; <see cref="AuthKind.None"/> when absent.</summary>
    public AuthConfiguration Auth { get; init; } = new();

    /// <summary><c>tokenservice</c> (RegistryCloud's own): the built-in token issuer; null when absent.</summary>
    public TokenServiceConfiguration? TokenService { get; init; }

    /// <summary><c>accesscontrol</c> (RegistryCloud's own): per-repository rules; null when absent.</summary>
    public AccessControlConfiguration? AccessControl { get; init; }

    /// <summary><c>ratelimit</c> (RegistryCloud's own): off unless configured.</summary>
    public RateLimitConfiguration RateLimit { get; init; } = new();

    /// <summary><c>gc</c> (RegistryCloud's own): the online garbage collector; off unless enabled.</summary>
    public GcConfiguration Gc { get; init; } = new();

    /// <summary><c>scrub</c> (RegistryCloud's own): the background re-hash of stored blobs; off unless enabled.</summary>
    public ScrubConfiguration Scrub { get; init; } = new();

    /// <summary><c>policies</c> (RegistryCloud's own): immutable tags, retention, quotas; none by default.</summary>
    public PoliciesConfiguration Policies { get; init; } = new();

    /// <summary><c>redis</c>; null when no Redis is configured.</summary>
    public RedisConfiguration? Redis { get; init; }

    /// <summary><c>notifications</c>.</summary>
    public NotificationsConfiguration Notifications { get; init; } = new();

    /// <summary><c>health</c>.</summary>
    public HealthConfiguration Health { get; init; } = new();

    /// <summary><c>validation</c>.</summary>
    public ValidationConfiguration Validation { get; init; } = new();

    /// <summary><c>proxy</c>: the whole registry is a pull-through cache of one upstream; null unless configured.</summary>
    public ProxyConfiguration? Proxy { get; init; }

    /// <summary><c>proxies</c> (RegistryCloud's own): repository prefixes that are pull-through caches; none by default.</summary>
    public IReadOnlyList<ProxyRule> Proxies { get; init; } = [];

    /// <summary><c>catalog.maxentries</c>: the most repositories one catalog page returns.</summary>
    public int CatalogMaxEntries { get; init; } = 1000;

    /// <summary><c>tags.maxtags</c>: the most tags one tags/list page returns.</summary>
    public int TagsMaxTags { get; init; } = 1000;

    /// <summary>
    /// <c>manifests.maxsize</c>, RegistryCloud's own key: the largest manifest a push may carry, in
    /// bytes (larger answers 413). The OCI spec asks for at least 4 MiB, the default and the floor;
    /// the ceiling is what one gRPC message to BlobService carries.
    /// </summary>
    public int ManifestsMaxSize { get; init; } = DefaultManifestsMaxSize;

    /// <summary>4 MiB: what the OCI spec asks every registry to accept, and Distribution's fixed limit.</summary>
    public const int DefaultManifestsMaxSize = 4 * 1024 * 1024;

    /// <summary>16 MiB: the ceiling of <see cref="ManifestsMaxSize"/>.</summary>
    public const int MaximumManifestsMaxSize = 16 * 1024 * 1024;

    /// <summary>The effective configuration as YAML, with secrets and Authorization headers masked.</summary>
    public string ToMaskedYaml() => RegistryConfigurationWriter.ToMaskedYaml(this);
}
