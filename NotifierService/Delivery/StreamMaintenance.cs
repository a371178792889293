using RegistryCloud.Events;
using RegistryCloud.NotifierService.Endpoints;
using RegistryCloud.NotifierService.Status;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Delivery;

/// <summary>
/// Keeps the stream as short as delivery allows: events every enabled endpoint has
/// acknowledged are trimmed (<c>XTRIM MINID</c> below the oldest event any of their groups
/// still needs), so Redis holds only what is still on its way. Also refreshes the pending gauges.
/// </summary>
internal sealed partial class StreamMaintenance(IConnectionMultiplexer redis, NotifierOptions options, EndpointStates states, ILogger<StreamMaintenance> logger)
{
    private readonly EventStreamKeys _keys = options.Keys;

    /// <summary>Events each enabled endpoint has not acknowledged yet (read or unread).</summary>
    public async Task<IReadOnlyDictionary<string, long>> PendingAsync()
    {
        var groups = await GroupsAsync();
        var pending = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var endpoint in options.Enabled)
        {
            if (groups.TryGetValue(EventStreamKeys.GroupFor(endpoint.Name), out var group))
            {
                pending[endpoint.Name] = group.PendingMessageCount + (group.Lag ?? 0);
            }
        }

        return pending;
    }

    public async Task RunAsync()
    {
        var database = redis.GetDatabase();
        var groups = await GroupsAsync();
        StreamId? oldestNeeded = null;
        var everyGroupKnown = true;
        foreach (var endpoint in options.Enabled)
        {
            if (!groups.TryGetValue(EventStreamKeys.GroupFor(endpoint.Name), out var group))
            {
                everyGroupKnown = false;
                continue;
            }

            states[endpoint.Name].Pending = group.PendingMessageCount + (group.Lag ?? 0);
            // Acknowledgements may have emptied the group's pending list since XINFO answered.
            var lowest = group.PendingMessageCount > 0
                ? (await database.StreamPendingAsync(_keys.Stream, group.Name)).LowestPendingMessageId
                : RedisValue.Null;
            var needed = lowest.IsNullOrEmpty
                ? StreamId.Parse(group.LastDeliveredId is { Length: > 0 } delivered ? delivered : "0-0").Next()
                : StreamId.Parse(lowest.ToString());
            oldestNeeded = oldestNeeded is { } current && current <= needed ? current : needed;
        }

        // One replica trims per interval; a group not created yet would lose what it has to receive.
        if (!everyGroupKnown || oldestNeeded is not { } minimum
            || !await database.StringSetAsync(_keys.TrimLock, options.ConsumerName, options.MaintenanceInterval, When.NotExists))
        {
            return;
        }

        var trimmed = await database.StreamTrimByMinIdAsync(_keys.Stream, minimum.ToString());
        if (trimmed > 0)
        {
            LogTrimmed(logger, trimmed, _keys.Stream, minimum.ToString());
        }
    }

    private async Task<Dictionary<string, StreamGroupInfo>> GroupsAsync()
    {
        try
        {
            var groups = await redis.GetDatabase().StreamGroupInfoAsync(_keys.Stream);
            return groups.ToDictionary(group => group.Name, StringComparer.Ordinal);
        }
        catch (RedisServerException e) when (e.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return new Dictionary<string, StreamGroupInfo>(StringComparer.Ordinal);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Trimmed {Count} delivered events from {Stream} (kept from {MinimumId})")]
    private static partial void LogTrimmed(ILogger logger, long count, string stream, string minimumId);
}
