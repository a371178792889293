namespace RegistryCloud.Events;

/// <summary>Puts events into the durable queue the notifier delivers from.</summary>
public interface IRegistryEventPublisher
{
    /// <summary>False when nothing is listening (no Redis, or no enabled endpoint): events need not even be built.</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// False while the store is known to be out of reach (its connection is down), so that a change
    /// can be refused before it is made rather than after; true when that cannot be told.
    /// </summary>
    bool IsReachable => true;

    /// <summary>
    /// Completes once the event is stored durably; throws <see cref="RegistryEventPublishException"/>
    /// when it could not be.
    /// </summary>
    Task PublishAsync(RegistryEvent registryEvent, CancellationToken cancellationToken);
}
