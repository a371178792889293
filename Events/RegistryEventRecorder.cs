using Microsoft.Extensions.Logging;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.Events;

/// <summary>
/// Applies the durability rule at the edge. A push, mount or delete is reported as a success
/// only once its event is stored: if the event cannot be stored the request answers
/// <c>UNAVAILABLE</c> (503) and the client retries. A pull is never refused for that: its event
/// is logged and counted as lost, and the content is served after at most
/// <see cref="PullEventTimeout"/>, however long the store takes to fail.
/// </summary>
public sealed partial class RegistryEventRecorder(
    IRegistryEventPublisher publisher,
    RegistryEventFactory factory,
    RegistryEventsMetrics metrics,
    TimeProvider time,
    ILogger<RegistryEventRecorder> logger)
{
    /// <summary>
    /// The longest a pull waits for its event to be stored: a pull must not take a Redis timeout
    /// longer while Redis is paused. An event still on its way then is stored or logged as lost later.
    /// </summary>
    public static readonly TimeSpan PullEventTimeout = TimeSpan.FromMilliseconds(500);

    private const string UnavailableMessage = "the event store (Redis) is unavailable";

    public bool IsEnabled => publisher.IsEnabled;

    public RegistryEventFactory Factory => factory;

    /// <summary>Stores the event of a change; null when stored, else the error to answer with.</summary>
    public async Task<OciErrorResult?> RecordChangeAsync(RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registryEvent);
        return await TryPublishAsync(registryEvent, cancellationToken)
            ? null
            : OciResults.Error(OciErrorCode.Unavailable, $"{UnavailableMessage}: the event of this change could not be stored; try again");
    }

    /// <summary>
    /// The error to refuse a change with before it is made, while the event store is known to be
    /// out of reach (its event could not be stored afterwards); null when the change may go ahead.
    /// </summary>
    public OciErrorResult? RefuseChangeWhileUnreachable() =>
        IsEnabled && !publisher.IsReachable
            ? OciResults.Error(OciErrorCode.Unavailable, $"{UnavailableMessage}: changes are refused until it is back, so that none goes unannounced; pulls still work")
            : null;

    /// <summary>Stores the event of a background job (nothing to refuse), best effort: a failure is logged and counted.</summary>
    public Task RecordBackgroundAsync(RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registryEvent);
        return TryPublishAsync(registryEvent, cancellationToken);
    }

    /// <summary>Stores the event of a pull, best effort, waiting at most <see cref="PullEventTimeout"/>.</summary>
    public async Task RecordPullAsync(RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registryEvent);

        // TryPublishAsync never faults (a failure is logged and counted), so what is left behind is safe to leave.
        var publishing = TryPublishAsync(registryEvent, CancellationToken.None);
        try
        {
            await publishing.WaitAsync(PullEventTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogPullEventLate(logger, registryEvent.Action ?? "", registryEvent.Id, PullEventTimeout.TotalMilliseconds);
        }
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "The {Action} event {EventId} was not stored within {Milliseconds} ms; the pull is served without waiting for it")]
    private static partial void LogPullEventLate(ILogger logger, string action, string? eventId, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Action} event {EventId} of repository {Repository} was not stored")]
    private static partial void LogPublishFailed(ILogger logger, string action, string? repository, string? eventId, Exception exception);
}
