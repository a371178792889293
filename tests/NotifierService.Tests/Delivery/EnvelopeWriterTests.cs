using System.Security.Cryptography;
using System.Text;
using RegistryCloud.NotifierService.Delivery;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Tests.Delivery;

public sealed class EnvelopeWriterTests
{
    [Fact]
    public void Stored_events_are_wrapped_in_an_events_array_byte_for_byte()
    {
        PendingEvent[] events =
        [
            new(new RedisValue("1-0"), """{"id":"a","target":{"mediaType":"x+json"}}"""u8.ToArray(), "push", "x+json", null),
            new(new RedisValue("2-0"), """{"id":"b"}"""u8.ToArray(), "pull", "", null),
        ];

        var body = Encoding.UTF8.GetString(EnvelopeWriter.Write(events));

        Assert.Equal("""{"events":[{"id":"a","target":{"mediaType":"x+json"}},{"id":"b"}]}""", body);
    }

    [Fact]
    public void The_signature_is_the_hex_HMAC_SHA256_of_the_body()
    {
        var body = """{"events":[]}"""u8.ToArray();

        var signature = EnvelopeWriter.Sign("s3cret", body);

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData("s3cret"u8, body));
        Assert.Equal("sha256=" + expected, signature);
    }

    [Fact]
    public void The_accepted_time_is_read_from_the_entry_id()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1714566645123), PendingEvent.AcceptedAtOf("1714566645123-7"));
    }

    [Theory]
    [InlineData("5-3", "5-4")]
    [InlineData("0-0", "0-1")]
    [InlineData("7", "7-1")]
    public void The_next_stream_id_follows_Redis_order(string id, string next)
    {
        Assert.Equal(next, StreamId.Parse(id).Next().ToString());
        Assert.True(StreamId.Parse(id) < StreamId.Parse(next));
    }
}
