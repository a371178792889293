using System.Text.Json;
using RegistryCloud.Events;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Delivery;

/// <summary>An event read from the stream, its JSON kept byte for byte as the producer stored it.</summary>
internal sealed record PendingEvent(RedisValue Id, byte[] Json, string Action, string MediaType, string? OnlyFor)
{
    /// <summary>Whether the stored event is one JSON value (anything else can only be dead-lettered).</summary>
    public bool IsWellFormed { get; } = IsOneJsonValue(Json);

    /// <summary>When the stream accepted the event: the milliseconds part of its entry id.</summary>
    public DateTimeOffset AcceptedAt => AcceptedAtOf(Id);

    /// <summary>Null for an entry whose content is gone (trimmed or deleted while pending).</summary>
    public static PendingEvent? From(StreamEntry entry)
    {
        if (entry.IsNull || entry.Values is not { Length: > 0 })
        {
            return null;
        }

        var json = entry[StreamFields.Event];
        if (json.IsNullOrEmpty)
        {
            return null;
        }

        var onlyFor = entry[StreamFields.Endpoint];
        return new PendingEvent(
            entry.Id,
            (byte[])json!,
            entry[StreamFields.Action].ToString(),
            entry[StreamFields.MediaType].ToString(),
            onlyFor.IsNullOrEmpty ? null : onlyFor.ToString());
    }

    private static bool IsOneJsonValue(byte[] json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return reader.Read() && reader.TrySkip() && reader.BytesConsumed == json.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static DateTimeOffset AcceptedAtOf(RedisValue id)
    {
        var text = id.ToString();
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return long.TryParse(dash < 0 ? text : text[..dash], out var milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : DateTimeOffset.MinValue;
    }
}
