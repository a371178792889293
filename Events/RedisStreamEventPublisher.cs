using RegistryCloud.Events.Redis;
using StackExchange.Redis;

namespace RegistryCloud.Events;

/// <summary>
/// Appends each event to one Redis stream (<c>XADD</c>). Before its first event this process
/// creates every enabled endpoint's consumer group at the stream's end (<c>MKSTREAM</c>), so an
/// event can never land before the group that must deliver it: an endpoint receives every event
/// accepted after it was first configured. The stream is never trimmed here; the notifier trims
/// what every endpoint has acknowledged.
/// <para>
/// While the connection is down a publish fails at once instead of waiting in the client's
/// backlog for its timeout; a Redis that is up but does not answer (paused, overloaded) costs the
/// client's timeout (<c>redis.readtimeout</c>/<c>writetimeout</c>), no more.
/// </para>
/// </summary>
public sealed class RedisStreamEventPublisher(IConnectionMultiplexer redis, RegistryEventsOptions options) : IRegistryEventPublisher
{
    private readonly EventStreamKeys _keys = options.Keys;
    private volatile bool _groupsReady;

    public bool IsEnabled => options.Enabled;

    public bool IsReachable => redis.IsConnected;

    public async Task PublishAsync(RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registryEvent);
        if (!redis.IsConnected)
        {
            throw new RegistryEventPublishException($"the event store (Redis) is not connected; stream '{_keys.Stream}' cannot take the event");
        }

        try
        {
            await EnsureGroupsAsync(cancellationToken);
            NameValueEntry[] fields =
            [
                new(StreamFields.Event, RegistryEventJson.Serialize(registryEvent)),
                new(StreamFields.Action, registryEvent.Action ?? ""),
                new(StreamFields.MediaType, registryEvent.Target.MediaType ?? ""),
            ];
            await redis.GetDatabase().StreamAddAsync(_keys.Stream, fields).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (RedisFailure.IsUnavailable(e, cancellationToken))
        {
            throw new RegistryEventPublishException($"the event could not be added to stream '{_keys.Stream}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Every request that finds the groups unmade makes them itself (an existing group is left as
    /// it is): no request waits behind another's attempt, which against an unanswering Redis would
    /// add one timeout per request queued ahead.
    /// </summary>
    private async Task EnsureGroupsAsync(CancellationToken cancellationToken)
    {
        if (_groupsReady)
        {
            return;
        }

        var database = redis.GetDatabase();
        foreach (var endpoint in options.Endpoints)
        {
            await CreateGroupAsync(database, _keys.Stream, EventStreamKeys.GroupFor(endpoint)).WaitAsync(cancellationToken);
        }

        _groupsReady = true;
    }

    /// <summary>Creates the group at the stream's end, with the stream if need be; an existing group is left as it is.</summary>
    public static async Task CreateGroupAsync(IDatabaseAsync database, string stream, string group)
    {
        ArgumentNullException.ThrowIfNull(database);
        try
        {
            await database.StreamCreateConsumerGroupAsync(stream, group, StreamPosition.NewMessages, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another process made it first.
        }
    }
}
