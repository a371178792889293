namespace RegistryCloud.ManifestService.Tests.Infrastructure;

/// <summary><see cref="RegistryServices"/> with <c>storage.delete.enabled</c> (REGISTRY_STORAGE_DELETE_ENABLED=true).</summary>
public sealed class DeletingRegistryServices() : RegistryServices(deleteEnabled: true);
