namespace RegistryCloud.Events;

/// <summary>Puts events into the durable queue the notifier delivers from.</summary>
public interface IRegistryEventPublisher
{
    /// <summary>False when nothing is listening (no Redis, or no enabled endpoint): events need not even be built.</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// Completes once the event is stored durably; throws <see cref="RegistryEventPublishException"/>
    /// when it could not be.
    /// </summary>
    Task PublishAsync(RegistryEvent registryEvent, CancellationToken cancellationToken);
}
