using RegistryCloud.Events;
using RegistryCloud.NotifierService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Tests.Delivery;

/// <summary>Restarts, crashes and several replicas: every event still arrives once per endpoint, in order.</summary>
public sealed class FailoverTests(RedisServer redis) : IAsyncLifetime
{
    private readonly string _stream = RedisServer.NewStream();
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_notifier_stopped_mid_delivery_is_followed_by_a_new_one_and_every_event_arrives_once_in_order()
    {
        // A slow endpoint, which takes nothing past event 20 while the first notifier runs: it is
        // stopped in the middle of the stream however fast or slow the machine.
        var firstStopped = false;
        _receiver.Respond = async (request, cancellationToken) =>
        {
            await Task.Delay(25, cancellationToken);
            return Volatile.Read(ref firstStopped) || request.EventIds.All(id => string.CompareOrdinal(id, TestEvents.Id(20)) <= 0) ? 200 : 503;
        };
        var events = new TestEvents(redis, _stream, "hook");
        await events.PublishAsync(1, 40);
        var endpoint = NotifierHost.Endpoint("hook", _receiver.Url);

        var first = await NotifierHost.StartAsync(redis, _stream, [endpoint]);
        await _receiver.WaitForAcceptedAsync(8);
        await first.StopAsync();
        var deliveredByFirst = _receiver.Accepted.Count;
        await first.DisposeAsync();
        Volatile.Write(ref firstStopped, true);
        await using var second = await NotifierHost.StartAsync(redis, _stream, [endpoint]);

        Assert.InRange(deliveredByFirst, 8, 20);
        await _receiver.WaitForAcceptedAsync(40);
        // Once every event is acknowledged none can be sent again: what arrived is final.
        await StreamGroups.WaitUntilAcknowledgedAsync(redis, _stream, "hook");
        Assert.Equal(TestEvents.Ids(1, 40), _receiver.Accepted);
    }

    [Fact]
    public async Task Events_a_crashed_notifier_left_pending_are_claimed_and_delivered_first_in_order()
    {
        var events = new TestEvents(redis, _stream, "hook");
        await events.PublishAsync(1, 5);
        // A replica that read three events, held the lease, and died without acknowledging anything.
        var group = EventStreamKeys.GroupFor("hook");
        var read = await redis.Database.StreamReadGroupAsync(_stream, group, "crashed-1", StreamPosition.NewMessages, 3);
        Assert.Equal(3, read.Length);
        await redis.Database.StringSetAsync(new EventStreamKeys(_stream).Lease("hook"), "crashed-1", TimeSpan.FromMilliseconds(500));

        await using var notifier = await NotifierHost.StartAsync(redis, _stream, [NotifierHost.Endpoint("hook", _receiver.Url)]);
        await events.PublishAsync(6);

        Assert.Equal(TestEvents.Ids(1, 6), await _receiver.WaitForAcceptedAsync(6));
        var consumers = await redis.Database.StreamConsumerInfoAsync(_stream, group);
        Assert.DoesNotContain(consumers, consumer => consumer.Name == "crashed-1");
        Assert.Equal(notifier.ConsumerName, (await redis.Database.StringGetAsync(new EventStreamKeys(_stream).Lease("hook"))).ToString());
    }

    [Fact]
    public async Task Two_notifiers_share_the_endpoints_and_deliver_each_event_once()
    {
        string[] names = ["a", "b", "c", "d"];
        var receivers = new Dictionary<string, WebhookReceiver>();
        foreach (var name in names)
        {
            receivers[name] = await WebhookReceiver.StartAsync();
        }

        try
        {
            var endpoints = names.Select(name => NotifierHost.Endpoint(name, receivers[name].Url)).ToList();
            var events = new TestEvents(redis, _stream, names);
            await using var first = await NotifierHost.StartAsync(redis, _stream, endpoints);
            await events.PublishAsync(1, 10);
            await using var second = await NotifierHost.StartAsync(redis, _stream, endpoints);
            await events.PublishAsync(11, 20);

            foreach (var name in names)
            {
                Assert.Equal(TestEvents.Ids(1, 20), await receivers[name].WaitForAcceptedAsync(20));
            }

            var (ownedByFirst, ownedBySecond) = await Poll.UntilAsync(
                async () => (await first.OwnedEndpointsAsync(), await second.OwnedEndpointsAsync()),
                owned => owned.Item1.Count == 2 && owned.Item2.Count == 2,
                owned => $"first owns [{string.Join(", ", owned.Item1)}], second [{string.Join(", ", owned.Item2)}]\n"
                    + string.Join("\n", first.Logs.Lines) + "\n---\n" + string.Join("\n", second.Logs.Lines),
                TimeSpan.FromSeconds(10));
            Assert.Empty(ownedByFirst.Intersect(ownedBySecond));
            foreach (var name in names)
            {
                await StreamGroups.WaitUntilAcknowledgedAsync(redis, _stream, name);
                Assert.Equal(TestEvents.Ids(1, 20), receivers[name].Accepted);
            }
        }
        finally
        {
            foreach (var receiver in receivers.Values)
            {
                await receiver.DisposeAsync();
            }
        }
    }
}
