namespace RegistryCloud.ManifestService.Tests.Infrastructure;

/// <summary><see cref="RegistryServices"/> with <c>storage.delete.enabled</c> (REGISTRY_STORAGE_DELETE_ENABLED=true).</summary>
public sealed class DeletingRegistryServices() : RegistryServices(deleteEnabled: true);

/// <summary><see cref="RegistryServices"/> with <c>manifests.maxsize</c> raised to 6 MiB.</summary>
public sealed class LargeManifestRegistryServices() : RegistryServices(
    deleteEnabled: false,
    new Dictionary<string, string> { ["REGISTRY_MANIFESTS_MAXSIZE"] = "6291456" })
{
    public const int SixMiB = 6 * 1024 * 1024;
}

/// <summary>
/// <see cref="RegistryServices"/> with deletes enabled and <c>policies.immutabletags</c>: tags
/// <c>v*</c> of <c>prod/**</c>, and every tag of <c>frozen</c>.
/// </summary>
public sealed class ImmutableTagRegistryServices() : RegistryServices(
    deleteEnabled: true,
    new Dictionary<string, string>
    {
        ["REGISTRY_POLICIES_IMMUTABLETAGS_0_REPOSITORY"] = "prod/**",
        ["REGISTRY_POLICIES_IMMUTABLETAGS_0_TAGS"] = "[\"v*\"]",
        ["REGISTRY_POLICIES_IMMUTABLETAGS_1_REPOSITORY"] = "frozen",
    });

/// <summary><see cref="RegistryServices"/> with a retention rule for <c>ci/**</c> that keeps tags pulled within a week.</summary>
public sealed class RetentionRegistryServices() : RegistryServices(
    deleteEnabled: false,
    new Dictionary<string, string>
    {
        ["REGISTRY_POLICIES_RETENTION_0_REPOSITORY"] = "ci/**",
        ["REGISTRY_POLICIES_RETENTION_0_OLDERTHAN"] = "720h",
        ["REGISTRY_POLICIES_RETENTION_0_KEEPPULLEDWITHIN"] = "168h",
    });

/// <summary><see cref="RegistryServices"/> with ManifestService's <c>policies.quotas</c>: repositories <c>quota/*</c> hold at most 1000 bytes.</summary>
public sealed class QuotaRegistryServices() : RegistryServices(
    deleteEnabled: false,
    new Dictionary<string, string>
    {
        ["REGISTRY_POLICIES_QUOTAS_0_REPOSITORY"] = "quota/*",
        ["REGISTRY_POLICIES_QUOTAS_0_BYTES"] = "1000",
    })
{
    public const int Quota = 1000;
}
