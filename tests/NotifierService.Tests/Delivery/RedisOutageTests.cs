using RegistryCloud.NotifierService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.NotifierService.Tests.Delivery;

/// <summary>Redis going away for a while loses nothing: delivery stops, then resumes where it was, in order.</summary>
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
        // The outage lasts until the notifier has run into it.
        await Poll.UntilAsync(
            () => notifier.Logs.Lines.Any(line => line.Message.Contains("Redis is unavailable", StringComparison.Ordinal)),
            () => "the notifier did not notice Redis was gone:\n" + string.Join("\n", notifier.Logs.Lines));
        await _redis.RestartAsync();
        await events.PublishAsync(21, 25);

        await _receiver.WaitForAcceptedAsync(25, TimeSpan.FromSeconds(20));
        // Once every event is acknowledged none can be sent again: what arrived is final.
        await StreamGroups.WaitUntilAcknowledgedAsync(_redis, stream, "hook");
        // At least once: an acknowledgement lost with the connection may repeat an event, but
        // never reorder or skip one.
        var accepted = _receiver.Accepted;
        var withoutRepeats = accepted.Where((id, index) => index == 0 || accepted[index - 1] != id).ToList();
        Assert.Equal(TestEvents.Ids(1, 25), withoutRepeats);
    }
}
