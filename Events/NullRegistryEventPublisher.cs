namespace RegistryCloud.Events;

/// <summary>Used when there is no Redis or no enabled endpoint: there is no one to tell.</summary>
public sealed class NullRegistryEventPublisher : IRegistryEventPublisher
{
    public bool IsEnabled => false;

    public Task PublishAsync(RegistryEvent registryEvent, CancellationToken cancellationToken) => Task.CompletedTask;
}
