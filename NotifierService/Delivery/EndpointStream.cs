using RegistryCloud.Events;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Delivery;

/// <summary>
/// One endpoint's view of the event stream: its consumer group, this replica's consumer in it,
/// and the failed-attempt counts of the events in flight (kept in Redis so a restart does not
/// reset them; only the in-flight batch is ever there).
/// </summary>
internal sealed class EndpointStream(IConnectionMultiplexer redis, EventStreamKeys keys, string endpoint, string consumer)
{
    private const int ClaimBatch = 100;

    public string Endpoint => endpoint;

    public string Group { get; } = EventStreamKeys.GroupFor(endpoint);

    private IDatabase Database => redis.GetDatabase();

    public Task EnsureGroupAsync() => RedisStreamEventPublisher.CreateGroupAsync(Database, keys.Stream, Group);

    /// <summary>
    /// Takes over events other consumers left unacknowledged for at least <paramref name="minIdle"/>
    /// (XAUTOCLAIM). True when no other consumer holds any pending event any more.
    /// </summary>
    public async Task<bool> ClaimAbandonedAsync(TimeSpan minIdle)
    {
        var database = Database;
        RedisValue start = "0-0";
        do
        {
            var result = await database.StreamAutoClaimIdsOnlyAsync(keys.Stream, Group, consumer, (long)minIdle.TotalMilliseconds, start, ClaimBatch);
            start = result.NextStartId;
        }
        while (start != "0-0");

        var pending = await database.StreamPendingAsync(keys.Stream, Group);
        var othersPending = pending.Consumers.Any(other => other.Name != consumer && other.PendingMessageCount > 0);
        if (!othersPending)
        {
            // Consumers of replicas that are gone hold nothing now: forget them.
            foreach (var info in await database.StreamConsumerInfoAsync(keys.Stream, Group))
            {
                if (info.Name != consumer && info.PendingMessageCount == 0)
                {
                    await database.StreamDeleteConsumerAsync(keys.Stream, Group, info.Name);
                }
            }
        }

        return !othersPending;
    }

    /// <summary>This consumer's own unacknowledged events, oldest first.</summary>
    public Task<StreamEntry[]> ReadOwnPendingAsync(int count) =>
        Database.StreamReadGroupAsync(keys.Stream, Group, consumer, "0", count);

    /// <summary>Events no consumer of this group has read yet; they become this consumer's pending events.</summary>
    public Task<StreamEntry[]> ReadNewAsync(int count) =>
        Database.StreamReadGroupAsync(keys.Stream, Group, consumer, StreamPosition.NewMessages, count);

    public async Task AcknowledgeAsync(RedisValue[] ids)
    {
        var transaction = Database.CreateTransaction();
        var acknowledged = transaction.StreamAcknowledgeAsync(keys.Stream, Group, ids);
        var forgotten = transaction.HashDeleteAsync(keys.Attempts(endpoint), ids);
        await transaction.ExecuteAsync();
        await Task.WhenAll(acknowledged, forgotten);
    }

    public async Task<long> FailedAttemptsAsync(RedisValue id)
    {
        var count = await Database.HashGetAsync(keys.Attempts(endpoint), id);
        return count.IsNull ? 0 : (long)count;
    }

    /// <summary>Counts one more failed attempt for each event; answers each one's total.</summary>
    public async Task<long[]> AddFailedAttemptAsync(RedisValue[] ids)
    {
        var database = Database;
        var batch = database.CreateBatch();
        var counts = ids.Select(id => batch.HashIncrementAsync(keys.Attempts(endpoint), id)).ToArray();
        batch.Execute();
        return await Task.WhenAll(counts);
    }
}
