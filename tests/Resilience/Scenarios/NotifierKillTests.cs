using RegistryCloud.Resilience.Tests.Infrastructure;
using RegistryCloud.Resilience.Tests.Invariants;

namespace RegistryCloud.Resilience.Tests.Scenarios;

/// <summary>
/// kill -9 of the NotifierService replica that is delivering an event, while the receiver holds
/// the delivery unanswered: the event is delivered again (by the other replica or after the
/// restart), and every event after it follows in order.
/// </summary>
public sealed class NotifierKillTests(ResilienceAppFixture registry) : ScenarioTest(registry)
{
    [Fact]
    public Task Killing_the_delivering_NotifierService_replica_delivers_every_event_in_order() =>
        RunAsync("kill -9 NotifierService replica mid delivery", Checks.All, async run =>
        {
            var repository = TestContent.NewRepository("resilience/notifier-kill");
            var delivering = new TaskCompletionSource<WebhookRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Registry.Webhook.Respond = async (request, cancellationToken) =>
            {
                if (request.Events.Any(e => e["target"]?["repository"]?.GetValue<string>() == repository) && delivering.TrySetResult(request))
                {
                    await release.Task.WaitAsync(cancellationToken);
                }

                return 200;
            };
            try
            {
                Assert.True(await run.PushImageAsync(repository, "v0"), "the first image did not push");
                var request = await delivering.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
                var victim = Registry.Processes.OwnerOfPort(ResilienceAppFixture.ReplicasOf("notifierservice"), request.RemotePort)
                    ?? throw new InvalidOperationException($"no notifier replica holds the connection from port {request.RemotePort}");
                await Registry.Processes.KillAsync(victim);
                run.Fault();
                try
                {
                    release.TrySetResult();
                    for (var i = 1; i <= 4; i++)
                    {
                        Assert.True(await run.PushImageAsync(repository, $"v{i}"), $"image {i} did not push while a notifier replica was down");
                    }
                }
                finally
                {
                    await Registry.Processes.RestartedAsync(victim);
                }
            }
            finally
            {
                release.TrySetResult();
                Registry.Webhook.Respond = (_, _) => Task.FromResult(200);
            }
        });
}
