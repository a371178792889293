namespace RegistryCloud.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Every end-to-end test shares one registry and one Docker daemon, and runs one at a time:
/// starting the AppHost is the expensive part, and the machine has two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryAppFixture>
{
    public const string Name = "Registry";
}
