using System.Net;
using System.Text.Json;
using RegistryCloud.NotifierService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.NotifierService.Tests.Apis;

public sealed class EndpointsApiTests(RedisServer redis) : IAsyncLifetime
{
    private readonly string _stream = RedisServer.NewStream();
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Endpoints_show_their_owner_counters_and_last_status()
    {
        _receiver.Respond = (request, _) => Task.FromResult(request.Number == 1 ? 500 : 204);
        var events = new TestEvents(redis, _stream, "hook");
        await using var notifier = await NotifierHost.StartAsync(
            redis, _stream, [NotifierHost.Endpoint("hook", _receiver.Url), NotifierHost.Endpoint("off", new Uri("http://127.0.0.1:9/")) with { Disabled = true }]);

        await events.PublishAsync(1, 2);
        await _receiver.WaitForAcceptedAsync(2);

        // The counters are written without waiting, just after each delivery: read them once the second is in.
        var endpoints = await Poll.UntilAsync(
            async () => (await notifier.GetJsonAsync("/endpoints")).GetProperty("endpoints"),
            endpoints => endpoints[0].GetProperty("delivered").GetInt64() >= 2 && endpoints[0].GetProperty("pending").GetInt64() == 0,
            endpoints => $"the counters did not catch up: {endpoints}");
        var hook = endpoints[0];
        Assert.Equal("hook", hook.GetProperty("name").GetString());
        Assert.Equal(notifier.ConsumerName, hook.GetProperty("owner").GetString());
        Assert.Equal(2, hook.GetProperty("delivered").GetInt64());
        Assert.Equal(1, hook.GetProperty("failed").GetInt64());
        Assert.Equal(204, hook.GetProperty("lastStatus").GetInt32());
        Assert.Equal(0, hook.GetProperty("pending").GetInt64());
        var off = endpoints[1];
        Assert.True(off.GetProperty("disabled").GetBoolean());
        Assert.False(off.TryGetProperty("owner", out _));
    }

    [Fact]
    public async Task An_endpoint_that_does_not_answer_shows_its_pending_events()
    {
        _receiver.Respond = (_, _) => Task.FromResult(503);
        var events = new TestEvents(redis, _stream, "hook");
        await using var notifier = await NotifierHost.StartAsync(
            redis, _stream, [NotifierHost.Endpoint("hook", _receiver.Url, threshold: 1, backoff: TimeSpan.FromMilliseconds(100))]);

        await events.PublishAsync(1, 3);

        // The status is written without waiting, just after a failed attempt.
        var hook = await Poll.UntilAsync(
            async () => (await notifier.GetJsonAsync("/endpoints")).GetProperty("endpoints")[0],
            hook => hook.TryGetProperty("lastStatus", out _),
            hook => $"no attempt recorded: {hook}");
        Assert.Equal(3, hook.GetProperty("pending").GetInt64());
        Assert.Equal(503, hook.GetProperty("lastStatus").GetInt32());
        Assert.Equal("response status 503", hook.GetProperty("lastError").GetString());
        Assert.True(hook.GetProperty("consecutiveFailures").GetInt32() >= 1);
    }

    [Fact]
    public async Task Dead_letters_of_an_unknown_endpoint_answer_404()
    {
        await using var notifier = await NotifierHost.StartAsync(redis, _stream, [NotifierHost.Endpoint("hook", _receiver.Url)]);

        var listed = await notifier.Api.GetAsync(new Uri("/endpoints/nobody/deadletters", UriKind.Relative), TestContext.Current.CancellationToken);
        var replayed = await notifier.Api.PostAsync(new Uri("/endpoints/nobody/deadletters/replay", UriKind.Relative), null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, listed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, replayed.StatusCode);
        using var body = JsonDocument.Parse(await listed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("ENDPOINT_UNKNOWN", body.RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Dead_letters_of_a_disabled_endpoint_cannot_be_replayed()
    {
        await using var notifier = await NotifierHost.StartAsync(
            redis, _stream, [NotifierHost.Endpoint("off", _receiver.Url) with { Disabled = true }]);

        var replayed = await notifier.Api.PostAsync(new Uri("/endpoints/off/deadletters/replay", UriKind.Relative), null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
    }
}
