using System.Text.Json.Serialization;

namespace RegistryCloud.Events;

/// <summary>The registry node that generated an event: its host and port, and an id that changes at each start.</summary>
public sealed record SourceRecord
{
    [JsonPropertyName("addr")]
    public string? Addr { get; init; }

    [JsonPropertyName("instanceID")]
    public string? InstanceId { get; init; }
}
