using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RegistryCloud.NotifierService.Delivery;

/// <summary>Writes <c>{"events":[...]}</c> around events' stored JSON, and signs it when asked.</summary>
internal static class EnvelopeWriter
{
    public static byte[] Write(IReadOnlyList<PendingEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + events.Sum(e => e.Json.Length));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("events");
            foreach (var pending in events)
            {
                // Checked when read from the stream (PendingEvent.IsWellFormed).
                writer.WriteRawValue(pending.Json, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of the body under the endpoint's secret.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
