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
