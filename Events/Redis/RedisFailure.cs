using StackExchange.Redis;

namespace RegistryCloud.Events.Redis;

/// <summary>
/// What counts as Redis being out of reach for a caller that carries on without it (a 503, a
/// retry, a cache miss): the client's errors and timeouts, a disposed connection, and a
/// cancellation the caller did not ask for. The last is the client's own: it cancels every
/// command outstanding on a connection it drops as dead (a paused Redis: "Dead socket detected
/// ... issuing disconnect"), and before it was counted here a manifest PUT answered 500 and a
/// notifier loop could end on it.
/// </summary>
public static class RedisFailure
{
    public static bool IsUnavailable(Exception error, CancellationToken callersToken = default) =>
        error is RedisException or TimeoutException or ObjectDisposedException
        || (error is OperationCanceledException && !callersToken.IsCancellationRequested);
}
