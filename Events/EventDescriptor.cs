using System.Text.Json.Serialization;

namespace RegistryCloud.Events;

/// <summary>A descriptor in <c>target.references</c>: Distribution's field order and <c>omitempty</c>.</summary>
public sealed record EventDescriptor
{
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("digest")]
    public string? Digest { get; init; }
}
