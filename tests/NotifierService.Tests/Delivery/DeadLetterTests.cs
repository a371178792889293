using System.Net;
using System.Text.Json;
using RegistryCloud.NotifierService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.NotifierService.Tests.Delivery;

/// <summary>Events an endpoint keeps refusing move to its dead letters, where an operator lists and replays them.</summary>
public sealed class DeadLetterTests(RedisServer redis) : IAsyncLifetime
{
    private readonly string _stream = RedisServer.NewStream();
    private WebhookReceiver _receiver = null!;
    private WebhookReceiver _other = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _other = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _other.DisposeAsync();
    }

    [Fact]
    public async Task An_event_refused_max_attempts_times_is_dead_lettered_and_a_replay_delivers_it_to_that_endpoint_only()
    {
        var poison = TestEvents.Id(1);
        _receiver.Respond = (request, _) => Task.FromResult(request.EventIds.Contains(poison) ? 422 : 200);
        var events = new TestEvents(redis, _stream, "hook", "other");
        await using var notifier = await NotifierHost.StartAsync(
            redis,
            _stream,
            [NotifierHost.Endpoint("hook", _receiver.Url, threshold: 100), NotifierHost.Endpoint("other", _other.Url)],
            new Dictionary<string, string?> { ["Notifier:MaxAttempts"] = "3" });

        await events.PublishAsync(1, 2);

        Assert.Equal([TestEvents.Id(2)], await _receiver.WaitForAcceptedAsync(1));
        Assert.Equal(3, _receiver.Requests.Count(request => request.Status == 422));
        var page = await notifier.GetJsonAsync("/endpoints/hook/deadletters");
        var deadLetter = Assert.Single(page.GetProperty("deadLetters").EnumerateArray());
        Assert.Equal("max-attempts", deadLetter.GetProperty("reason").GetString());
        Assert.Equal(3, deadLetter.GetProperty("attempts").GetInt64());
        Assert.Equal(422, deadLetter.GetProperty("lastStatus").GetInt32());
        Assert.Equal(poison, deadLetter.GetProperty("event").GetProperty("id").GetString());

        _receiver.Respond = (_, _) => Task.FromResult(200);
        var replay = await notifier.Api.PostAsync(new Uri("/endpoints/hook/deadletters/replay", UriKind.Relative), content: null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await replay.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("replayed").GetInt64());
        Assert.Equal([TestEvents.Id(2), poison], await _receiver.WaitForAcceptedAsync(2));
        Assert.Empty((await notifier.GetJsonAsync("/endpoints/hook/deadletters")).GetProperty("deadLetters").EnumerateArray());
        // Once the other endpoint has acknowledged the replayed entry too, it can no longer get it.
        await StreamGroups.WaitUntilAcknowledgedAsync(redis, _stream, "other");
        Assert.Equal(TestEvents.Ids(1, 2), _other.Accepted);
    }

    [Fact]
    public async Task An_event_older_than_max_age_is_dead_lettered_instead_of_sent_again()
    {
        _receiver.Respond = (_, _) => Task.FromResult(500);
        var events = new TestEvents(redis, _stream, "hook");
        await using var notifier = await NotifierHost.StartAsync(
            redis,
            _stream,
            [NotifierHost.Endpoint("hook", _receiver.Url, threshold: 1, backoff: TimeSpan.FromMilliseconds(100))],
            new Dictionary<string, string?> { ["Notifier:MaxAge"] = "400ms" });

        await events.PublishAsync(1);

        var letters = await Poll.UntilAsync(
            async () => (await notifier.GetJsonAsync("/endpoints/hook/deadletters")).GetProperty("deadLetters"),
            letters => letters.GetArrayLength() > 0,
            _ => "nothing was dead-lettered");

        var deadLetter = Assert.Single(letters.EnumerateArray());
        Assert.Equal("max-age", deadLetter.GetProperty("reason").GetString());
        Assert.True(deadLetter.GetProperty("attempts").GetInt64() >= 1);
        // Dead-lettering acknowledged it, so it cannot be sent again: the requests are the attempts it records.
        await StreamGroups.WaitUntilAcknowledgedAsync(redis, _stream, "hook");
        Assert.Equal(deadLetter.GetProperty("attempts").GetInt64(), _receiver.Requests.Count);
    }

    [Fact]
    public async Task Dead_letters_are_listed_a_page_at_a_time()
    {
        _receiver.Respond = (_, _) => Task.FromResult(500);
        var events = new TestEvents(redis, _stream, "hook");
        await using var notifier = await NotifierHost.StartAsync(
            redis, _stream, [NotifierHost.Endpoint("hook", _receiver.Url, threshold: 100)], new Dictionary<string, string?> { ["Notifier:MaxAttempts"] = "1" });

        await events.PublishAsync(1, 3);
        await Poll.UntilAsync(
            async () => (await notifier.GetJsonAsync("/endpoints")).GetProperty("endpoints")[0].GetProperty("deadLetters").GetInt64(),
            count => count >= 3,
            count => $"{count} of 3 events were dead-lettered");

        var first = await notifier.GetJsonAsync("/endpoints/hook/deadletters?n=2");
        var next = first.GetProperty("next").GetString();
        var second = await notifier.GetJsonAsync($"/endpoints/hook/deadletters?n=2&last={next}");

        Assert.Equal(TestEvents.Ids(1, 2), first.GetProperty("deadLetters").EnumerateArray().Select(e => e.GetProperty("event").GetProperty("id").GetString()));
        Assert.Equal([TestEvents.Id(3)], second.GetProperty("deadLetters").EnumerateArray().Select(e => e.GetProperty("event").GetProperty("id").GetString()));
        Assert.False(second.TryGetProperty("next", out _));
    }
}
