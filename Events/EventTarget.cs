using System.Text.Json.Serialization;

namespace RegistryCloud.Events;

/// <summary>
/// What an event is about: Distribution's descriptor fields (<c>mediaType</c>, <c>size</c>,
/// <c>digest</c>) followed by the target's own, every one <c>omitempty</c>. Which fields an
/// action fills is <see cref="RegistryEventFactory"/>'s business, after Distribution's bridge.go.
/// Absent values are null (or 0): the factory never stores an empty string.
/// </summary>
public sealed record EventTarget
{
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("digest")]
    public string? Digest { get; init; }

    /// <summary>The same as <see cref="Size"/>; Distribution keeps it for older receivers.</summary>
    [JsonPropertyName("length")]
    public long Length { get; init; }

    [JsonPropertyName("repository")]
    public string? Repository { get; init; }

    /// <summary>Mounts only: the repository the blob was mounted from.</summary>
    [JsonPropertyName("fromRepository")]
    public string? FromRepository { get; init; }

    [JsonPropertyName("url")]
    public string? Url { get; init; }

    [JsonPropertyName("tag")]
    public string? Tag { get; init; }

    /// <summary>Manifest events, when <c>notifications.events.includereferences</c> is on.</summary>
    [JsonPropertyName("references")]
    public IReadOnlyList<EventDescriptor>? References { get; init; }
}
