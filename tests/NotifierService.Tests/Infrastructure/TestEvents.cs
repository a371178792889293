using RegistryCloud.Events;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.NotifierService.Tests.Infrastructure;

/// <summary>Publishes numbered events (<c>e001</c>, <c>e002</c>, ...) through the real Redis publisher.</summary>
public sealed class TestEvents(RedisServer redis, string stream, params string[] endpoints)
{
    private readonly RedisStreamEventPublisher _publisher = new(redis.Connection, new RegistryEventsOptions { Stream = stream, Endpoints = endpoints });

    public static string Id(int number) => $"e{number:000}";

    public static IReadOnlyList<string> Ids(int from, int to) => [.. Enumerable.Range(from, to - from + 1).Select(Id)];

    public Task PublishAsync(int number, string action = EventActions.Push, string mediaType = "application/vnd.oci.image.manifest.v1+json") =>
        _publisher.PublishAsync(
            new RegistryEvent
            {
                Id = Id(number),
                Timestamp = DateTimeOffset.UtcNow,
                Action = action,
                Target = new EventTarget { MediaType = mediaType, Repository = "team/app", Tag = "v" + number },
                Request = new RequestRecord { Id = "request-" + number, Method = "PUT", UserAgent = "tests" },
            },
            TestContext.Current.CancellationToken);

    public async Task PublishAsync(int from, int to)
    {
        for (var number = from; number <= to; number++)
        {
            await PublishAsync(number);
        }
    }
}
