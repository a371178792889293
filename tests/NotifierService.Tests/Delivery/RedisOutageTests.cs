using System.Net;
using RegistryCloud.NotifierService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.NotifierService.Tests.Delivery;

/// <summary>
/// Redis going away (stopped, or paused: its connections hang) for a while loses nothing: delivery
/// stops, then resumes where it was, in order, without a restart; meanwhile the API says 503.
/// </summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"registry-redis-{Guid.NewGuid():N}");
    private RedisServer _redis = null!;
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _redis = await RedisServer.StartPersistentAsync(_directory);
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _redis.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task After_a_Redis_restart_delivery_resumes_and_every_event_arrives_in_order()
    {
        _receiver.Respond = async (_, cancellationToken) =>
        {
            await Task.Delay(20, cancellationToken);
            return 200;
        };
        var stream = RedisServer.NewStream();
        var events = new TestEvents(_redis, stream, "hook");
        await events.PublishAsync(1, 20);
        await using var notifier = await NotifierHost.StartAsync(_redis, stream, [NotifierHost.Endpoint("hook", _receiver.Url)]);
        await _receiver.WaitForAcceptedAsync(3);

        await _redis.StopAsync();
        await WaitUntilNoticedAsync(notifier);
        await _redis.RestartAsync();
        await events.PublishAsync(21, 25);

        await AssertDeliveredInOrderAsync(stream, 25);
    }

    [Fact]
    public async Task After_Redis_was_paused_delivery_resumes_by_itself_and_every_event_arrives_in_order()
    {
        var stream = RedisServer.NewStream();
        var events = new TestEvents(_redis, stream, "hook");
        await events.PublishAsync(1, 10);
        await using var notifier = await NotifierHost.StartAsync(_redis, stream, [NotifierHost.Endpoint("hook", _receiver.Url)], ShortTimeouts());
        await _receiver.WaitForAcceptedAsync(10);

        _redis.Pause();
        await WaitUntilNoticedAsync(notifier);
        await _redis.ResumeAsync();
        await events.PublishAsync(11, 15);

        await AssertDeliveredInOrderAsync(stream, 15);
    }

    [Fact]
    public async Task While_Redis_is_paused_the_endpoints_API_answers_UNAVAILABLE_and_answers_again_once_it_resumes()
    {
        var stream = RedisServer.NewStream();
        await using var notifier = await NotifierHost.StartAsync(_redis, stream, [NotifierHost.Endpoint("hook", _receiver.Url)], ShortTimeouts());

        _redis.Pause();
        using (var status = await notifier.Api.GetAsync(new Uri("/endpoints", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            await OciAssert.ErrorAsync(status, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        }

        using (var deadLetters = await notifier.Api.GetAsync(new Uri("/endpoints/hook/deadletters", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            await OciAssert.ErrorAsync(deadLetters, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        }

        await _redis.ResumeAsync();
        await Poll.UntilAsync(
            async () =>
            {
                using var status = await notifier.Api.GetAsync(new Uri("/endpoints", UriKind.Relative), TestContext.Current.CancellationToken);
                return status.StatusCode == HttpStatusCode.OK;
            },
            "GET /endpoints did not answer again once Redis resumed");
    }

    /// <summary>The outage lasts until the notifier has run into it.</summary>
    private static Task WaitUntilNoticedAsync(NotifierHost notifier) =>
        Poll.UntilAsync(
            () => notifier.Logs.Lines.Any(line => line.Message.Contains("Redis is unavailable", StringComparison.Ordinal)),
            () => "the notifier did not notice Redis was gone:\n" + string.Join("\n", notifier.Logs.Lines),
            TimeSpan.FromSeconds(30));

    private async Task AssertDeliveredInOrderAsync(string stream, int count)
    {
        await _receiver.WaitForAcceptedAsync(count, TimeSpan.FromSeconds(30));
        // Once every event is acknowledged none can be sent again: what arrived is final.
        await StreamGroups.WaitUntilAcknowledgedAsync(_redis, stream, "hook");
        // At least once: an acknowledgement lost with the connection may repeat an event, but
        // never reorder or skip one.
        var accepted = _receiver.Accepted;
        var withoutRepeats = accepted.Where((id, index) => index == 0 || accepted[index - 1] != id).ToList();
        Assert.Equal(TestEvents.Ids(1, count), withoutRepeats);
    }

    /// <summary>Commands Redis does not answer time out after a second (the client's default is five).</summary>
    private Dictionary<string, string?> ShortTimeouts() => new()
    {
        ["ConnectionStrings:redis"] = $"{_redis.ConnectionString},asyncTimeout=1000,syncTimeout=1000",
    };
}
