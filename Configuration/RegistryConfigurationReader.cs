using YamlDotNet.RepresentationModel;

namespace RegistryCloud.Configuration;

/// <summary>Reads the top level of the (already overridden) YAML tree, section by section.</summary>
internal static class RegistryConfigurationReader
{
    public static RegistryConfiguration Read(YamlMappingNode node, ConfigContext context)
    {
        var root = context.Open(string.Empty, node);
        var version = root.String("version")
            ?? throw new RegistryConfigurationException($"version: is required; use {RegistryConfiguration.SupportedVersion}");
        if (version != RegistryConfiguration.SupportedVersion)
        {
            throw root.Error("version", $"'{version}' is not supported; use {RegistryConfiguration.SupportedVersion}");
        }

        root.NotImplemented("middleware", "middleware (registry, repository and storage hooks such as cloudfront)");
        root.NotImplemented("policy", "policy (repository classes)");
        root.NotImplemented("compatibility", "compatibility (schema1 manifests)");
        root.NotImplemented("reporting", "reporting (bugsnag, newrelic)");

        var storage = StorageSectionReader.Read(root);
        var redis = RedisSectionReader.Read(root);
        if (storage.BlobDescriptorCache == BlobDescriptorCacheKind.Redis && redis is null)
        {
            throw new RegistryConfigurationException(
                "storage.cache.blobdescriptor: 'redis' needs a redis section with an address (redis.addr or REGISTRY_REDIS_ADDR)");
        }

        var maxEntries = root.Section("catalog").Int("maxentries", minimum: int.MinValue) ?? 0;
        var maxTags = root.Section("tags").Int("maxtags") ?? 0;
        var maxManifest = root.Section("manifests").Int(
            "maxsize", RegistryConfiguration.DefaultManifestsMaxSize, RegistryConfiguration.MaximumManifestsMaxSize);
        var auth = AuthSectionReader.Read(root);
        var tokenService = TokenServiceSectionReader.Read(root, auth);
        var accessControl = AccessControlSectionReader.Read(root);
        if (accessControl is not null && auth.Htpasswd is null && tokenService is null)
        {
            context.Warn("accesscontrol: applies only with auth.htpasswd or tokenservice; here it only filters the catalog");
        }

        var proxy = ProxySectionReader.Read(root, context);
        return new RegistryConfiguration
        {
            Version = version,
            Log = LogSectionReader.Read(root),
            Storage = storage,
            Http = HttpSectionReader.Read(root, context),
            Auth = auth,
            TokenService = tokenService,
            AccessControl = accessControl,
            RateLimit = RateLimitSectionReader.Read(root),
            Gc = GcSectionReader.Read(root),
            Policies = PoliciesSectionReader.Read(root),
            Scrub = ScrubSectionReader.Read(root),
            Redis = redis,
            Notifications = NotificationsSectionReader.Read(root),
            Health = HealthSectionReader.Read(root),
            Validation = ValidationSectionReader.Read(root),
            Proxy = proxy,
            Proxies = ProxySectionReader.ReadRules(root, proxy),

            // Distribution: an empty or non-positive limit means its default of 1000.
            CatalogMaxEntries = maxEntries > 0 ? maxEntries : 1000,
            TagsMaxTags = maxTags > 0 ? maxTags : 1000,
            ManifestsMaxSize = maxManifest ?? RegistryConfiguration.DefaultManifestsMaxSize,
        };
    }
}
