using RegistryCloud.Resilience.Tests.Infrastructure;
using RegistryCloud.Resilience.Tests.Invariants;

namespace RegistryCloud.Resilience.Tests.Scenarios;

/// <summary>
/// The webhook receiver misbehaves in turn — slow within the endpoint's timeout, slower than it,
/// answering 500, resetting the connection — then recovers: every event is then delivered, in
/// the order the pushes were answered.
/// </summary>
public sealed class WebhookReceiverFaultTests(ResilienceAppFixture registry) : ScenarioTest(registry)
{
    /// <summary>The fixture's endpoint times out after 2 s: one answer comes within it, one after it.</summary>
    private static readonly TimeSpan[] Slow = [TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3)];

    [Fact]
    public Task A_receiver_that_is_slow_fails_and_resets_then_recovers_gets_every_event_in_order() =>
        RunAsync("webhook receiver slow, 500, reset, then recovers", Checks.All, async run =>
        {
            var repository = TestContent.NewRepository("resilience/webhook-faults");
            var deliveries = 0;
            Registry.Webhook.Respond = async (request, cancellationToken) =>
            {
                if (!request.Events.Any(e => e["target"]?["repository"]?.GetValue<string>() == repository))
                {
                    return 200;
                }

                var n = Interlocked.Increment(ref deliveries);
                switch (n)
                {
                    case <= 2:
                        run.Fault();
                        // The fault itself: a receiver that takes this long to answer.
                        await Task.Delay(Slow[n - 1], cancellationToken);
                        return 200;
                    case <= 5:
                        run.Fault();
                        return 500;
                    case <= 8:
                        run.Fault();
                        return WebhookReceiver.ResetConnection;
                    default:
                        return 200;
                }
            };
            try
            {
                for (var i = 0; i < 6; i++)
                {
                    Assert.True(await run.PushImageAsync(repository, $"v{i}"), $"image {i} did not push");
                }

                // Every fault has been played before the checks wait for the recovery.
                await Poll.UntilAsync(() => Volatile.Read(ref deliveries) > 8, () => $"the receiver saw {deliveries} deliveries of the scenario's events, not the 9 that play every fault", TimeSpan.FromSeconds(60));
            }
            finally
            {
                Registry.Webhook.Respond = (_, _) => Task.FromResult(200);
            }
        });
}
