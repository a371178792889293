using Microsoft.Extensions.Logging;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.Events;

/// <summary>
/// Applies the durability rule at the edge. A push, mount or delete is reported as a success
/// only once its event is stored: if the event cannot be stored the request answers
/// <c>UNAVAILABLE</c> (503) and the client retries. A pull is never refused for that: its event
/// is logged and counted as lost, and the content is served.
/// </summary>
public sealed partial class RegistryEventRecorder(
    IRegistryEventPublisher publisher,
    RegistryEventFactory factory,
    RegistryEventsMetrics metrics,
    TimeProvider time,
    ILogger<RegistryEventRecorder> logger)
{
    public bool IsEnabled => publisher.IsEnabled;

    public RegistryEventFactory Factory => factory;

    /// <summary>Stores the event of a change; null when stored, else the error to answer with.</summary>
    public async Task<OciErrorResult?> RecordChangeAsync(RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registryEvent);
        return await TryPublishAsync(registryEvent, cancellationToken)
            ? null
            : OciResults.Error(OciErrorCode.Unavailable, "the registry could not record the event of this change; try again");
    }

    /// <summary>Stores the event of a background job (nothing to refuse), best effort: a failure is logged and counted.</summary>
    public Task RecordBackgroundAsync(RegistryEvent registryEvent, CancellationToken cancellationToken) =>
        RecordPullAsync(registryEvent, cancellationToken);

    /// <summary>Stores the event of a pull, best effort.</summary>
    public Task RecordPullAsync(RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registryEvent);
        return TryPublishAsync(registryEvent, cancellationToken);
    }

    private async Task<bool> TryPublishAsync(RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var action = registryEvent.Action ?? "";
        try
        {
            await publisher.PublishAsync(registryEvent, cancellationToken);
            metrics.Published(action, time.GetElapsedTime(started));
            return true;
        }
        catch (RegistryEventPublishException e)
        {
            metrics.Failed(action);
            LogPublishFailed(logger, action, registryEvent.Target.Repository, registryEvent.Id, e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Action} event {EventId} of repository {Repository} was not stored")]
    private static partial void LogPublishFailed(ILogger logger, string action, string? repository, string? eventId, Exception exception);
}
