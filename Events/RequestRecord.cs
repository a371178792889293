using System.Text.Json.Serialization;

namespace RegistryCloud.Events;

/// <summary>
/// The request that caused an event. Distribution writes <c>id</c>, <c>method</c> and
/// <c>useragent</c> always (empty or not) and omits an empty <c>addr</c> or <c>host</c>.
/// </summary>
public sealed record RequestRecord
{
    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Id { get; init; } = "";

    /// <summary>The client's address (and port, when known).</summary>
    [JsonPropertyName("addr")]
    public string? Addr { get; init; }

    /// <summary>The registry's externally visible host, as the client addressed it.</summary>
    [JsonPropertyName("host")]
    public string? Host { get; init; }

    [JsonPropertyName("method")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Method { get; init; } = "";

    [JsonPropertyName("useragent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string UserAgent { get; init; } = "";
}
