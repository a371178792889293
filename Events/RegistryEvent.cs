using System.Text.Json.Serialization;

namespace RegistryCloud.Events;

/// <summary>
/// One registry event in Distribution's JSON form (notifications/event.go). Go's
/// <c>omitempty</c> never drops a struct, so <c>timestamp</c>, <c>target</c>,
/// <c>request</c>, <c>actor</c> and <c>source</c> are always written, even when empty.
/// </summary>
public sealed record RegistryEvent
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("timestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [JsonConverter(typeof(Rfc3339TimestampConverter))]
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>One of <see cref="EventActions"/>.</summary>
    [JsonPropertyName("action")]
    public string? Action { get; init; }

    [JsonPropertyName("target")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public EventTarget Target { get; init; } = new();

    [JsonPropertyName("request")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public RequestRecord Request { get; init; } = new();

    [JsonPropertyName("actor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ActorRecord Actor { get; init; } = new();

    [JsonPropertyName("source")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public SourceRecord Source { get; init; } = new();
}
