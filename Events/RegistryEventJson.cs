using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RegistryCloud.Events;

/// <summary>
/// Source-generated JSON for events. Absent values are left out (Go's <c>omitempty</c>); the
/// few fields Distribution always writes say so on the property. Escaping is relaxed so that a
/// <c>+</c> in a media type stays a <c>+</c>, as receivers that compare raw text expect.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(RegistryEvent))]
[JsonSerializable(typeof(EventEnvelope))]
internal sealed partial class RegistryEventJsonContext : JsonSerializerContext;

public static class RegistryEventJson
{
    private static readonly RegistryEventJsonContext Context = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static JsonTypeInfo<RegistryEvent> Event => Context.RegistryEvent;

    public static JsonTypeInfo<EventEnvelope> Envelope => Context.EventEnvelope;

    public static byte[] Serialize(RegistryEvent registryEvent) => JsonSerializer.SerializeToUtf8Bytes(registryEvent, Event);

    public static RegistryEvent? Deserialize(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, Event);
}
