using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RegistryCloud.Events;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Tests.Events;

/// <summary>The durability rule: a change succeeds only once its event is stored; a pull always succeeds.</summary>
public sealed class RegistryEventRecorderTests(RedisServer redis)
{
    private static readonly Digest Blob = Digest.Compute("hello"u8.ToArray(), Digest.Sha256);

    [Fact]
    public async Task A_change_whose_event_cannot_be_stored_answers_UNAVAILABLE()
    {
        var context = Context(new FailingPublisher());

        var result = await context.BlobPushedAsync("team/app", Blob, 5);

        Assert.NotNull(result);
        Assert.Equal(OciErrorCode.Unavailable, result.ErrorCode);
        Assert.Equal(503, result.StatusCode);
    }

    [Fact]
    public async Task A_pull_whose_event_cannot_be_stored_still_succeeds_and_is_counted()
    {
        var meterName = "Tests.Recorder." + Guid.NewGuid().ToString("N");
        using var listener = new MeterListener();
        long failures = 0;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "registry.events.publish_failures" && instrument.Meter.Name == meterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref failures, value));
        listener.Start();
        var context = Context(new FailingPublisher(), meterName: meterName);
        context.Request.Method = "GET";

        await context.BlobPulledAsync("team/app", Blob, 5);

        Assert.Equal(1, Interlocked.Read(ref failures));
    }

    [Fact]
    public async Task A_stored_change_answers_nothing_and_the_event_is_in_the_stream()
    {
        var stream = RedisServer.NewStream();
        var options = new RegistryEventsOptions { Stream = stream, Endpoints = ["hook"] };
        var context = Context(new RedisStreamEventPublisher(redis.Connection, options), options);

        var result = await context.BlobMountedAsync("team/app", Blob, 5, "base/os");

        Assert.Null(result);
        var entries = await redis.Database.StreamRangeAsync(stream);
        var stored = RegistryEventJson.Deserialize((byte[])entries.Single()["event"]!)!;
        Assert.Equal(EventActions.Mount, stored.Action);
        Assert.Equal("base/os", stored.Target.FromRepository);
        Assert.Equal("mount", entries.Single()["action"].ToString());
    }

    [Fact]
    public async Task Publishing_creates_each_enabled_endpoints_group_before_the_first_event()
    {
        var stream = RedisServer.NewStream();
        var publisher = new RedisStreamEventPublisher(redis.Connection, new RegistryEventsOptions { Stream = stream, Endpoints = ["a", "b"] });

        await publisher.PublishAsync(new RegistryEvent { Id = "x", Action = EventActions.Push }, TestContext.Current.CancellationToken);

        var groups = await redis.Database.StreamGroupInfoAsync(stream);
        Assert.Equal(["endpoint:a", "endpoint:b"], groups.Select(group => group.Name).Order());
        Assert.All(groups, group => Assert.Equal(1, group.Lag));
    }

    [Fact]
    public async Task When_Redis_cannot_be_reached_publishing_fails_with_a_publish_error()
    {
        await using var unreachable = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=200,asyncTimeout=300,syncTimeout=300");
        var publisher = new RedisStreamEventPublisher(unreachable, new RegistryEventsOptions { Stream = RedisServer.NewStream(), Endpoints = ["a"] });

        await Assert.ThrowsAsync<RegistryEventPublishException>(() =>
            publisher.PublishAsync(new RegistryEvent { Id = "x", Action = EventActions.Push }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_command_the_Redis_client_cancels_is_a_publish_error_not_a_crash()
    {
        // The client cancels what is outstanding when it drops a connection it finds dead (a
        // paused Redis: "Dead socket detected ... issuing disconnect"); a manifest PUT then answered
        // 500 with the cancellation instead of 503 UNAVAILABLE.
        var publisher = new RedisStreamEventPublisher(CancellingRedis.Connection(), new RegistryEventsOptions { Stream = RedisServer.NewStream(), Endpoints = ["a"] });

        await Assert.ThrowsAsync<RegistryEventPublishException>(() =>
            publisher.PublishAsync(new RegistryEvent { Id = "x", Action = EventActions.Push }, TestContext.Current.CancellationToken));

        var change = await Context(publisher).TagDeletedAsync("team/app", "v1");
        Assert.NotNull(change);
        Assert.Equal(OciErrorCode.Unavailable, change.ErrorCode);
        Assert.Equal(503, change.StatusCode);

        // A pull whose event meets the same is served: nothing thrown.
        await Context(publisher).BlobPulledAsync("team/app", Blob, 5);
    }

    [Fact]
    public async Task The_callers_own_cancellation_stays_a_cancellation()
    {
        var publisher = new RedisStreamEventPublisher(CancellingRedis.Connection(), new RegistryEventsOptions { Stream = RedisServer.NewStream(), Endpoints = ["a"] });
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            publisher.PublishAsync(new RegistryEvent { Id = "x", Action = EventActions.Push }, gone.Token));
    }

    [Fact]
    public async Task Without_events_configured_the_calls_do_nothing()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };

        Assert.Null(await context.BlobDeletedAsync("team/app", Blob));
        Assert.Null(await context.TagDeletedAsync("team/app", "v1"));
    }

    private static DefaultHttpContext Context(IRegistryEventPublisher publisher, RegistryEventsOptions? options = null, string meterName = "Tests.Recorder")
    {
        options ??= new RegistryEventsOptions { Endpoints = ["hook"] };
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(publisher);
        services.AddSingleton(provider => new RegistryEventsMetrics(provider.GetRequiredService<IMeterFactory>(), meterName));
        services.AddSingleton<RegistryEventFactory>();
        services.AddSingleton(provider => new RegistryEventRecorder(
            publisher,
            provider.GetRequiredService<RegistryEventFactory>(),
            provider.GetRequiredService<RegistryEventsMetrics>(),
            TimeProvider.System,
            NullLogger<RegistryEventRecorder>.Instance));
        var context = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        context.Request.Method = "PUT";
        context.Request.Host = new HostString("registry.example.com");
        return context;
    }

    private sealed class FailingPublisher : IRegistryEventPublisher
    {
        public bool IsEnabled => true;

        public Task PublishAsync(RegistryEvent registryEvent, CancellationToken cancellationToken) =>
            throw new RegistryEventPublishException("redis is down");
    }

    /// <summary>A connected Redis whose every command comes back cancelled, as the client leaves them when it drops a dead connection.</summary>
    private class CancellingRedis : System.Reflection.DispatchProxy
    {
        public static IConnectionMultiplexer Connection()
        {
            var connection = Create<IConnectionMultiplexer, CancellingRedis>();
            ((CancellingRedis)(object)connection)._database = Create<IDatabase, CancellingRedis>();
            return connection;
        }

        private IDatabase? _database;

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args)
        {
            var returns = targetMethod!.ReturnType;
            if (targetMethod.Name == "get_IsConnected")
            {
                return true;
            }

            if (returns == typeof(IDatabase))
            {
                return _database;
            }

            if (returns == typeof(Task))
            {
                return Task.FromCanceled(new CancellationToken(canceled: true));
            }

            if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
            {
                return typeof(Task).GetMethod(nameof(Task.FromCanceled), 1, [typeof(CancellationToken)])!
                    .MakeGenericMethod(returns.GetGenericArguments()[0])
                    .Invoke(null, [new CancellationToken(canceled: true)]);
            }

            throw new NotSupportedException(targetMethod.Name);
        }
    }
}
