using System.Text.Json.Serialization;

namespace RegistryCloud.Events;

/// <summary>Who caused an event: the authenticated user, if any (<c>"actor":{}</c> otherwise).</summary>
public sealed record ActorRecord
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }
}
