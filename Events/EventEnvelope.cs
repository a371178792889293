using System.Text.Json.Serialization;

namespace RegistryCloud.Events;

/// <summary>What an endpoint receives: <c>{"events":[...]}</c>, POSTed as <see cref="MediaType"/>.</summary>
public sealed record EventEnvelope
{
    /// <summary>
    /// The envelope media type receivers check for (Distribution 2.x's; the events' JSON has not
    /// changed in ways those receivers would notice).
    /// </summary>
    public const string MediaType = "application/vnd.docker.distribution.events.v1+json";

    [JsonPropertyName("events")]
    public IReadOnlyList<RegistryEvent>? Events { get; init; }
}
