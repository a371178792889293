using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Events;
using RegistryCloud.NotifierService.Delivery;
using RegistryCloud.NotifierService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.NotifierService.Tests.Delivery;

/// <summary>Delivery to a real HTTP receiver from the real notifier, through a real Redis stream.</summary>
public sealed class DeliveryTests(RedisServer redis) : IAsyncLifetime
{
    private readonly string _stream = RedisServer.NewStream();
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_receiver_that_fails_and_comes_back_gets_every_event_once_in_order()
    {
        _receiver.Respond = (request, _) => Task.FromResult(request.Number <= 6 ? 503 : 202);
        var events = new TestEvents(redis, _stream, "hook");
        await using var notifier = await NotifierHost.StartAsync(redis, _stream, [NotifierHost.Endpoint("hook", _receiver.Url, threshold: 2)]);

        await events.PublishAsync(1, 10);

        Assert.Equal(TestEvents.Ids(1, 10), await _receiver.WaitForAcceptedAsync(10));
        Assert.Equal(6, _receiver.Requests.Count(request => request.Status == 503));
        Assert.All(_receiver.Requests.Take(7), request => Assert.Equal([TestEvents.Id(1)], request.EventIds));
    }

    [Fact]
    public async Task An_event_whose_delivery_timed_out_is_sent_again()
    {
        _receiver.Respond = async (request, cancellationToken) =>
        {
            if (request.Number == 1)
            {
                // Never answers: only the sender's timeout ends this request.
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return 200;
        };
        var events = new TestEvents(redis, _stream, "hook");
        await using var notifier = await NotifierHost.StartAsync(redis, _stream, [NotifierHost.Endpoint("hook", _receiver.Url, timeout: TimeSpan.FromMilliseconds(250))]);

        await events.PublishAsync(1, 3);

        Assert.Equal(TestEvents.Ids(1, 3), await _receiver.WaitForAcceptedAsync(3));
        var requests = _receiver.Requests;
        Assert.Equal(requests[0].EventIds, requests[1].EventIds);
        Assert.Equal(-1, requests[0].Status);
    }

    [Fact]
    public async Task Retries_wait_the_backoff_only_from_the_threshold_on_doubling_up_to_the_cap()
    {
        _receiver.Respond = (request, _) => Task.FromResult(request.Number <= 5 ? 500 : 200);
        var events = new TestEvents(redis, _stream, "hook");
        await events.PublishAsync(1);
        // The notifier's own clock, moved by the test; a lease of an hour keeps the coordinator out of the way.
        var clock = new FakeClock();
        await using var notifier = await NotifierHost.StartAsync(
            redis,
            _stream,
            [NotifierHost.Endpoint("hook", _receiver.Url, threshold: 2, backoff: TimeSpan.FromMilliseconds(400))],
            new Dictionary<string, string?> { ["Notifier:MaxBackoff"] = "600ms", ["Notifier:LeaseTime"] = "1h" },
            clock);

        // Below the threshold the retry comes at once: the clock has not moved.
        await _receiver.WaitForRequestsAsync(2);

        // Failures 2..5 wait 400ms, then 800ms capped to 600ms, 600ms, 600ms; the retry comes when that much has passed.
        foreach (var backoff in new[] { 400, 600, 600, 600 })
        {
            var sent = _receiver.Requests.Count;
            await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(backoff));
            clock.Advance(TimeSpan.FromMilliseconds(backoff));
            await _receiver.WaitForRequestsAsync(sent + 1);
        }

        Assert.Equal([TestEvents.Id(1)], await _receiver.WaitForAcceptedAsync(1));
        Assert.Equal(6, _receiver.Requests.Count);
    }

    [Fact]
    public async Task Ignored_media_types_and_actions_are_not_sent()
    {
        var events = new TestEvents(redis, _stream, "hook");
        var endpoint = NotifierHost.Endpoint("hook", _receiver.Url) with
        {
            IgnoredMediaTypes = ["application/octet-stream"],
            IgnoreMediaTypes = ["application/vnd.oci.image.config.v1+json"],
            IgnoreActions = [EventActions.Pull],
        };
        await using var notifier = await NotifierHost.StartAsync(redis, _stream, [endpoint]);

        await events.PublishAsync(1, mediaType: "application/octet-stream");
        await events.PublishAsync(2, mediaType: "application/vnd.oci.image.config.v1+json");
        await events.PublishAsync(3, action: EventActions.Pull);
        await events.PublishAsync(4);
        await events.PublishAsync(5, action: EventActions.Delete, mediaType: "");

        Assert.Equal([TestEvents.Id(4), TestEvents.Id(5)], await _receiver.WaitForAcceptedAsync(2));
        Assert.Equal(2, _receiver.Requests.Count);
    }

    [Fact]
    public async Task A_disabled_endpoint_gets_nothing()
    {
        await using var disabled = await WebhookReceiver.StartAsync();
        var events = new TestEvents(redis, _stream, "hook");
        await using var notifier = await NotifierHost.StartAsync(
            redis,
            _stream,
            [NotifierHost.Endpoint("hook", _receiver.Url), NotifierHost.Endpoint("off", disabled.Url) with { Disabled = true }]);

        await events.PublishAsync(1, 3);
        await _receiver.WaitForAcceptedAsync(3);

        // The coordinator leases every endpoint it delivers to before starting its worker, and the
        // worker makes its group before reading: neither happened for the disabled one, so nothing
        // can be on its way to it.
        Assert.False(await redis.Database.KeyExistsAsync(new EventStreamKeys(_stream).Lease("off")));
        var groups = await redis.Database.StreamGroupInfoAsync(_stream);
        Assert.Equal(["endpoint:hook"], groups.Select(group => group.Name));
        Assert.Empty(disabled.Requests);
    }

    [Fact]
    public async Task Requests_carry_the_envelope_media_type_the_configured_headers_and_the_signature()
    {
        await using var unsigned = await WebhookReceiver.StartAsync();
        var events = new TestEvents(redis, _stream, "signed", "unsigned");
        var signed = NotifierHost.Endpoint("signed", _receiver.Url) with
        {
            Headers = new Dictionary<string, IReadOnlyList<string>> { ["Authorization"] = ["Bearer t0ken"], ["X-Team"] = ["a", "b"] },
        };
        await using var notifier = await NotifierHost.StartAsync(
            redis,
            _stream,
            [signed, NotifierHost.Endpoint("unsigned", unsigned.Url)],
            new Dictionary<string, string?> { ["Notifier:Endpoints:signed:Secret"] = "s3cret" });

        await events.PublishAsync(1);
        await _receiver.WaitForAcceptedAsync(1);
        await unsigned.WaitForAcceptedAsync(1);

        var request = _receiver.Requests.Single();
        Assert.Equal("application/vnd.docker.distribution.events.v1+json", request.ContentType);
        Assert.Equal("Bearer t0ken", request.Headers.Authorization.ToString());
        Assert.Equal("a, b", request.Headers["X-Team"].ToString());
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("s3cret"u8, request.Body));
        Assert.Equal(expected, request.Headers["X-Registry-Signature-256"].ToString());
        Assert.False(unsigned.Requests.Single().Headers.ContainsKey("X-Registry-Signature-256"));
    }

    [Fact]
    public async Task With_a_batch_size_several_events_share_a_request_in_order()
    {
        var events = new TestEvents(redis, _stream, "hook");
        await events.PublishAsync(1, 7);
        await using var notifier = await NotifierHost.StartAsync(
            redis, _stream, [NotifierHost.Endpoint("hook", _receiver.Url)], new Dictionary<string, string?> { ["Notifier:BatchSize"] = "3" });

        Assert.Equal(TestEvents.Ids(1, 7), await _receiver.WaitForAcceptedAsync(7));
        Assert.Equal([3, 3, 1], _receiver.Requests.Select(request => request.EventIds.Count));
    }

    [Fact]
    public async Task Events_accepted_while_no_notifier_runs_are_delivered_when_one_starts()
    {
        var events = new TestEvents(redis, _stream, "hook");
        await events.PublishAsync(1, 3);

        await using var notifier = await NotifierHost.StartAsync(redis, _stream, [NotifierHost.Endpoint("hook", _receiver.Url)]);

        Assert.Equal(TestEvents.Ids(1, 3), await _receiver.WaitForAcceptedAsync(3));
    }

    [Fact]
    public async Task Events_every_endpoint_acknowledged_are_trimmed_from_the_stream()
    {
        await using var second = await WebhookReceiver.StartAsync();
        var events = new TestEvents(redis, _stream, "a", "b");
        await using var notifier = await NotifierHost.StartAsync(
            redis, _stream, [NotifierHost.Endpoint("a", _receiver.Url), NotifierHost.Endpoint("b", second.Url)]);

        await events.PublishAsync(1, 5);
        await _receiver.WaitForAcceptedAsync(5);
        await second.WaitForAcceptedAsync(5);

        await Poll.UntilAsync(
            () => redis.Database.StreamLengthAsync(_stream),
            length => length == 0,
            length => $"the stream still holds {length} events");
    }

    [Fact]
    public async Task Events_an_endpoint_has_not_acknowledged_are_kept_in_the_stream()
    {
        // b takes the first event and refuses the rest.
        await using var failing = await WebhookReceiver.StartAsync();
        failing.Respond = (request, _) => Task.FromResult(request.Number == 1 ? 200 : 500);
        var events = new TestEvents(redis, _stream, "a", "b");
        await using var notifier = await NotifierHost.StartAsync(
            redis,
            _stream,
            [NotifierHost.Endpoint("a", _receiver.Url), NotifierHost.Endpoint("b", failing.Url, threshold: 1, backoff: TimeSpan.FromMilliseconds(100))],
            new Dictionary<string, string?> { ["Notifier:MaintenanceInterval"] = "1h" });

        await events.PublishAsync(1, 3);
        await StreamGroups.WaitUntilAcknowledgedAsync(redis, _stream, "a");
        // b reads the second event only once it has acknowledged the first.
        await failing.WaitForRequestsAsync(2);

        // A maintenance run now, on the state the test waited for (the coordinator's own runs are an
        // hour apart; the lock its first run may have taken is let go).
        await redis.Database.KeyDeleteAsync(new EventStreamKeys(_stream).TrimLock);
        await notifier.Services.GetRequiredService<StreamMaintenance>().RunAsync();

        var kept = await redis.Database.StreamRangeAsync(_stream);
        Assert.Equal(TestEvents.Ids(2, 3), kept.Select(entry => JsonDocument.Parse((string)entry[StreamFields.Event]!).RootElement.GetProperty("id").GetString()));
    }
}
