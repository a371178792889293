using System.Globalization;
using RegistryCloud.NotifierService.Delivery;
using RegistryCloud.NotifierService.Endpoints;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Status;

/// <summary>
/// Delivery counters and the last outcome of each endpoint, in a Redis hash so that every
/// replica answers <c>GET /endpoints</c> alike whichever one delivers. Written without waiting:
/// the status is for people, and must not slow delivery down.
/// </summary>
internal sealed class EndpointStatusStore(IConnectionMultiplexer redis, NotifierOptions options, TimeProvider time)
{
    public void Delivered(string endpoint, int events, DeliveryOutcome outcome)
    {
        var database = redis.GetDatabase();
        var key = options.Keys.Status(endpoint);
        database.HashIncrement(key, "delivered", events, CommandFlags.FireAndForget);
        database.HashSet(
            key,
            [
                new("lastStatus", outcome.Status),
                new("lastError", ""),
                new("consecutiveFailures", 0),
                new("lastAttemptAt", Now()),
                new("lastDeliveredAt", Now()),
            ],
            CommandFlags.FireAndForget);
    }

    public void Failed(string endpoint, int consecutiveFailures, DeliveryOutcome outcome)
    {
        var database = redis.GetDatabase();
        var key = options.Keys.Status(endpoint);
        database.HashIncrement(key, "failed", 1, CommandFlags.FireAndForget);
        database.HashSet(
            key,
            [
                new("lastStatus", outcome.Status),
                new("lastError", outcome.Error ?? ""),
                new("consecutiveFailures", consecutiveFailures),
                new("lastAttemptAt", Now()),
                new("lastFailureAt", Now()),
            ],
            CommandFlags.FireAndForget);
    }

    public void Counted(string endpoint, string counter, long count) =>
        redis.GetDatabase().HashIncrement(options.Keys.Status(endpoint), counter, count, CommandFlags.FireAndForget);

    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string endpoint)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(options.Keys.Status(endpoint));
        return entries.ToDictionary(entry => entry.Name.ToString(), entry => entry.Value.ToString(), StringComparer.Ordinal);
    }

    private string Now() => time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
}
