using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RegistryCloud.Events;
using RegistryCloud.NotifierService.Delivery;
using RegistryCloud.NotifierService.Endpoints;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.DeadLetters;

/// <summary>
/// Each endpoint's dead-letter stream: events move there atomically (added there, acknowledged
/// in the endpoint's group, in one transaction), an operator lists them, and a replay moves them
/// back into the event stream marked for that endpoint alone, behind the events already queued.
/// The stream is capped (oldest dropped first) so that a dead endpoint cannot fill Redis.
/// </summary>
internal sealed class DeadLetterStore(IConnectionMultiplexer redis, NotifierOptions options, TimeProvider time)
{
    private const int ReplayChunk = 100;

    // Moves up to ARGV[1] dead letters (KEYS[1]) into the event stream (KEYS[2]) for endpoint ARGV[2].
    private static readonly LuaScript Replay = LuaScript.Prepare("""
        local entries = redis.call('XRANGE', @deadLetters, '-', '+', 'COUNT', @count)
        for _, entry in ipairs(entries) do
          local fields = entry[2]
          local values = {}
          for i = 1, #fields, 2 do values[fields[i]] = fields[i + 1] end
          if values['event'] then
            redis.call('XADD', @stream, '*', 'event', values['event'], 'action', values['action'] or '',
              'mediaType', values['mediaType'] or '', 'endpoint', @endpoint)
          end
          redis.call('XDEL', @deadLetters, entry[1])
        end
        return #entries
        """);

    private readonly EventStreamKeys _keys = options.Keys;

    public async Task MoveAsync(EndpointStream stream, PendingEvent pending, string reason, long attempts, DeliveryOutcome last)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        NameValueEntry[] fields =
        [
            new(StreamFields.Event, pending.Json),
            new(StreamFields.Action, pending.Action),
            new(StreamFields.MediaType, pending.MediaType),
            new("originalId", pending.Id),
            new("reason", reason),
            new("attempts", attempts),
            new("lastStatus", last.Status),
            new("lastError", last.Error ?? ""),
            new("deadLetteredAt", time.GetUtcNow().ToUnixTimeMilliseconds()),
        ];
        var added = transaction.StreamAddAsync(_keys.DeadLetters(stream.Endpoint), fields, maxLength: options.DeadLetterMaxLength, useApproximateMaxLength: true);
        var acknowledged = transaction.StreamAcknowledgeAsync(_keys.Stream, stream.Group, pending.Id);
        var forgotten = transaction.HashDeleteAsync(_keys.Attempts(stream.Endpoint), pending.Id);
        await transaction.ExecuteAsync();
        await Task.WhenAll(added, acknowledged, forgotten);
    }

    public Task<long> CountAsync(string endpoint) => redis.GetDatabase().StreamLengthAsync(_keys.DeadLetters(endpoint));

    public async Task<DeadLetterPage> ListAsync(string endpoint, int count, string? after)
    {
        var start = string.IsNullOrEmpty(after) ? "-" : "(" + after;
        var entries = await redis.GetDatabase().StreamRangeAsync(_keys.DeadLetters(endpoint), start, "+", count + 1);
        var page = entries.Take(count).Select(ToDeadLetter).ToList();
        return new DeadLetterPage(endpoint, page, entries.Length > count ? page[^1].Id : null);
    }

    /// <summary>Moves up to <paramref name="limit"/> dead letters (all when null) back for delivery; answers how many.</summary>
    public async Task<long> ReplayAsync(string endpoint, long? limit, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        long moved = 0;
        while (limit is null || moved < limit)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = limit is { } max ? Math.Min(ReplayChunk, max - moved) : ReplayChunk;
            var result = await database.ScriptEvaluateAsync(Replay, new
            {
                deadLetters = (RedisKey)_keys.DeadLetters(endpoint),
                stream = (RedisKey)_keys.Stream,
                count = chunk,
                endpoint,
            });
            var count = (long)result;
            moved += count;
            if (count < chunk)
            {
                break;
            }
        }

        return moved;
    }

    /// <summary>The event's JSON; a malformed one is shown as a string of its text.</summary>
    private static JsonDocument ParseEvent(byte[] json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            var text = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(text))
            {
                writer.WriteStringValue(Encoding.UTF8.GetString(json));
            }

            return JsonDocument.Parse(text.WrittenMemory);
        }
    }

    private static DeadLetter ToDeadLetter(StreamEntry entry)
    {
        var json = entry[StreamFields.Event];
        using var document = ParseEvent(json.IsNullOrEmpty ? [] : (byte[])json!);
        return new DeadLetter(
            entry.Id.ToString(),
            entry["originalId"].ToString(),
            entry["reason"].ToString(),
            (long)entry["attempts"],
            (int)entry["lastStatus"],
            entry["lastError"].IsNullOrEmpty ? null : entry["lastError"].ToString(),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(entry["deadLetteredAt"].ToString(), CultureInfo.InvariantCulture)),
            document.RootElement.Clone());
    }
}
