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
        _receiver.Respond = async (_, cancellationToken) =>
        {
            await Task.Delay(25, cancellationToken);
            return 200;
        };
        var events = new TestEvents(redis, _stream, "hook");
        await events.PublishAsync(1, 40);
        var endpoint = NotifierHost.Endpoint("hook", _receiver.Url);

        var first = await NotifierHost.StartAsync(redis, _stream, [endpoint]);
        await _receiver.WaitForAcceptedAsync(8);
        await first.StopAsync();
        var deliveredByFirst = _receiver.Accepted.Count;
        await first.DisposeAsync();
        await using var second = await NotifierHost.StartAsync(redis, _stream, [endpoint]);

        Assert.InRange(deliveredByFirst, 8, 39);
        Assert.Equal(TestEvents.Ids(1, 40), await _receiver.WaitForAcceptedAsync(40));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Equal(40, _receiver.Accepted.Count);
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

            var deadline = DateTime.UtcNow.AddSeconds(10);
            IReadOnlyList<string> ownedByFirst, ownedBySecond;
            do
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
                ownedByFirst = await first.OwnedEndpointsAsync();
                ownedBySecond = await second.OwnedEndpointsAsync();
            }
            while ((ownedByFirst.Count != 2 || ownedBySecond.Count != 2) && DateTime.UtcNow < deadline);

            Assert.True(
                ownedByFirst.Count == 2 && ownedBySecond.Count == 2,
                $"first owns [{string.Join(", ", ownedByFirst)}], second [{string.Join(", ", ownedBySecond)}]\n"
                + string.Join("\n", first.Logs.Lines) + "\n---\n" + string.Join("\n", second.Logs.Lines));
            Assert.Empty(ownedByFirst.Intersect(ownedBySecond));
            await Task.Delay(200, TestContext.Current.CancellationToken);
            Assert.All(names, name => Assert.Equal(20, receivers[name].Accepted.Count));
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
