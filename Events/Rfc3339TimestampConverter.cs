using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RegistryCloud.Events;

/// <summary>
/// Writes timestamps as Go's <c>time.RFC3339Nano</c> does for a UTC time: trailing zeros of
/// the fraction dropped, the fraction left out when it is zero, and <c>Z</c> for the zone.
/// </summary>
public sealed class Rfc3339TimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Format(value));
    }

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
