namespace RegistryCloud.Resilience.Tests.Infrastructure;

/// <summary>
/// Every scenario shares one registry and runs alone: a fault in one scenario must not be blamed
/// on another, starting the AppHost is the expensive part, and the machine has two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ResilienceCollection : ICollectionFixture<ResilienceAppFixture>
{
    public const string Name = "Resilience";
}
