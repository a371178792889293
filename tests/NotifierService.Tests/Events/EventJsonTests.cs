using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Events;
using RegistryCloud.Oci;

namespace RegistryCloud.NotifierService.Tests.Events;

/// <summary>
/// Each action's event against golden JSON written from Distribution's notifications/event.go
/// (field names, <c>omitempty</c>) and bridge.go (which fields each action carries).
/// </summary>
public sealed class EventJsonTests
{
    private const string Blob = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private const string Manifest = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    private const string Request = """request":{"id":"req-1","addr":"203.0.113.7","host":"registry.example.com","method":"PUT","useragent":"docker/27.0"}""";
    private const string Actor = """actor":{"name":"alice"}""";
    private const string Source = """source":{"addr":"node-1:5000","instanceID":"instance-1"}""";

    private static readonly EventOrigin Origin = new(
        new RequestRecord { Id = "req-1", Addr = "203.0.113.7", Host = "registry.example.com", Method = "PUT", UserAgent = "docker/27.0" },
        new ActorRecord { Name = "alice" },
        new SourceRecord { Addr = "node-1:5000", InstanceId = "instance-1" },
        "https://registry.example.com");

    private readonly RegistryEventFactory _factory = Factory(includeReferences: false);

    [Fact]
    public void A_blob_push_carries_the_blob_descriptor_length_repository_and_url()
    {
        var json = Json(_factory.BlobPushed(Origin, "team/app", Digest(Blob), 1234));

        Assert.Equal(
            Golden("push", $$"""{"mediaType":"application/octet-stream","size":1234,"digest":"{{Blob}}","length":1234,"repository":"team/app","url":"https://registry.example.com/v2/team/app/blobs/{{Blob}}"}"""),
            json);
    }

    [Fact]
    public void A_blob_pull_carries_the_same_fields_as_a_push()
    {
        var json = Json(_factory.BlobPulled(Origin, "team/app", Digest(Blob), 7));

        Assert.Equal(
            Golden("pull", $$"""{"mediaType":"application/octet-stream","size":7,"digest":"{{Blob}}","length":7,"repository":"team/app","url":"https://registry.example.com/v2/team/app/blobs/{{Blob}}"}"""),
            json);
    }

    [Fact]
    public void A_blob_mount_names_the_repository_it_came_from()
    {
        var json = Json(_factory.BlobMounted(Origin, "team/app", Digest(Blob), 7, "base/os"));

        Assert.Equal(
            Golden("mount", $$"""{"mediaType":"application/octet-stream","size":7,"digest":"{{Blob}}","length":7,"repository":"team/app","fromRepository":"base/os","url":"https://registry.example.com/v2/team/app/blobs/{{Blob}}"}"""),
            json);
    }

    [Fact]
    public void A_blob_delete_carries_only_the_digest_and_repository()
    {
        var json = Json(_factory.BlobDeleted(Origin, "team/app", Digest(Blob)));

        Assert.Equal(Golden("delete", $$"""{"digest":"{{Blob}}","repository":"team/app"}"""), json);
    }

    [Fact]
    public void A_manifest_pushed_by_tag_carries_its_media_type_and_tag()
    {
        var json = Json(_factory.ManifestPushed(Origin, "team/app", MediaTypes.OciImageManifest, Digest(Manifest), 528, "v1", references: null));

        Assert.Equal(
            Golden("push", $$"""{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":528,"digest":"{{Manifest}}","length":528,"repository":"team/app","url":"https://registry.example.com/v2/team/app/manifests/{{Manifest}}","tag":"v1"}"""),
            json);
    }

    [Fact]
    public void A_manifest_pulled_by_digest_has_no_tag()
    {
        var json = Json(_factory.ManifestPulled(Origin, "team/app", MediaTypes.DockerManifest, Digest(Manifest), 528, tag: null, references: null));

        Assert.Equal(
            Golden("pull", $$"""{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":528,"digest":"{{Manifest}}","length":528,"repository":"team/app","url":"https://registry.example.com/v2/team/app/manifests/{{Manifest}}"}"""),
            json);
    }

    [Fact]
    public void Manifest_references_are_included_only_when_configured()
    {
        EventDescriptor[] references = [new() { MediaType = MediaTypes.OciImageConfig, Size = 2, Digest = Blob }];

        var without = Json(_factory.ManifestPushed(Origin, "team/app", MediaTypes.OciImageManifest, Digest(Manifest), 528, "v1", references));
        var with = Json(Factory(includeReferences: true).ManifestPushed(Origin, "team/app", MediaTypes.OciImageManifest, Digest(Manifest), 528, "v1", references));

        Assert.DoesNotContain("references", without, StringComparison.Ordinal);
        Assert.Contains($$""","tag":"v1","references":[{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"{{Blob}}"}]}""", with, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_delete_carries_only_the_repository_and_digest()
    {
        var json = Json(_factory.ManifestDeleted(Origin, "team/app", Digest(Manifest)));

        Assert.Equal(Golden("delete", $$"""{"digest":"{{Manifest}}","repository":"team/app"}"""), json);
    }

    [Fact]
    public void A_tag_delete_carries_only_the_repository_and_tag()
    {
        var json = Json(_factory.TagDeleted(Origin, "team/app", "v1"));

        Assert.Equal(Golden("delete", """{"repository":"team/app","tag":"v1"}"""), json);
    }

    [Fact]
    public void Empty_records_keep_the_fields_Distribution_always_writes()
    {
        var json = Encoding.UTF8.GetString(RegistryEventJson.Serialize(new RegistryEvent { Timestamp = DateTimeOffset.UnixEpoch }));

        Assert.Equal(
            """{"timestamp":"1970-01-01T00:00:00Z","target":{},"request":{"id":"","method":"","useragent":""},"actor":{},"source":{}}""",
            json);
    }

    [Fact]
    public void Timestamps_are_RFC_3339_in_UTC_with_trailing_zeros_dropped()
    {
        Assert.Equal("2024-05-01T12:30:45.12Z", Rfc3339TimestampConverter.Format(new DateTimeOffset(2024, 5, 1, 14, 30, 45, 120, TimeSpan.FromHours(2))));
        Assert.Equal("2024-05-01T12:30:45Z", Rfc3339TimestampConverter.Format(new DateTimeOffset(2024, 5, 1, 12, 30, 45, TimeSpan.Zero)));
    }

    [Fact]
    public void Every_event_gets_a_new_uuid()
    {
        var first = _factory.TagDeleted(Origin, "team/app", "v1");
        var second = _factory.TagDeleted(Origin, "team/app", "v1");

        Assert.True(Guid.TryParse(first.Id, out _));
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void An_event_reads_back_as_it_was_written()
    {
        var pushed = _factory.BlobMounted(Origin, "team/app", Digest(Blob), 7, "base/os");

        var read = RegistryEventJson.Deserialize(RegistryEventJson.Serialize(pushed));

        Assert.Equal(Json(pushed), Json(read!));
    }

    [Fact]
    public void The_envelope_is_an_events_array_with_Distributions_media_type()
    {
        var envelope = new EventEnvelope { Events = [_factory.TagDeleted(Origin, "team/app", "v1")] };

        var json = JsonSerializer.Serialize(envelope, RegistryEventJson.Envelope);

        Assert.StartsWith("""{"events":[{"id":""", json, StringComparison.Ordinal);
        Assert.Equal("application/vnd.docker.distribution.events.v1+json", EventEnvelope.MediaType);
    }

    private static RegistryEventFactory Factory(bool includeReferences) =>
        new(new FakeTimeProvider(new DateTimeOffset(2024, 5, 1, 12, 30, 45, TimeSpan.Zero).AddTicks(1_234_567)), new RegistryEventsOptions { IncludeReferences = includeReferences });

    private static Digest Digest(string text) => Oci.Digest.TryParse(text, out var digest) ? digest : throw new ArgumentException(text);

    private static string Golden(string action, string target) =>
        $$"""{"id":"ID","timestamp":"2024-05-01T12:30:45.1234567Z","action":"{{action}}","target":{{target}},"{{Request}},"{{Actor}},"{{Source}}}""";

    /// <summary>The event's JSON with its random id replaced by <c>ID</c>.</summary>
    private static string Json(RegistryEvent registryEvent)
    {
        var node = JsonNode.Parse(RegistryEventJson.Serialize(registryEvent))!.AsObject();
        Assert.True(Guid.TryParse(node["id"]!.GetValue<string>(), out _));
        var text = Encoding.UTF8.GetString(RegistryEventJson.Serialize(registryEvent));
        return text.Replace(registryEvent.Id!, "ID", StringComparison.Ordinal);
    }
}
