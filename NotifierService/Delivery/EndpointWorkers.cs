using RegistryCloud.NotifierService.DeadLetters;
using RegistryCloud.NotifierService.Endpoints;
using RegistryCloud.NotifierService.Status;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Delivery;

/// <summary>Builds each endpoint's worker; owns one <see cref="WebhookSender"/> per endpoint for the service's lifetime.</summary>
internal sealed class EndpointWorkers(
    IConnectionMultiplexer redis,
    NotifierOptions options,
    DeadLetterStore deadLetters,
    EndpointStatusStore status,
    NotifierMetrics metrics,
    EndpointStates states,
    TimeProvider time,
    ILoggerFactory loggers) : IDisposable
{
    private readonly Dictionary<string, WebhookSender> _senders = options.Enabled.ToDictionary(
        endpoint => endpoint.Name, endpoint => new WebhookSender(endpoint, time), StringComparer.Ordinal);

    public EndpointWorker Create(EndpointSettings endpoint) => new(
        endpoint,
        new EndpointStream(redis, options.Keys, endpoint.Name, options.ConsumerName),
        _senders[endpoint.Name],
        deadLetters,
        status,
        metrics,
        states[endpoint.Name],
        options,
        time,
        loggers.CreateLogger<EndpointWorker>());

    public void Dispose()
    {
        foreach (var sender in _senders.Values)
        {
            sender.Dispose();
        }
    }
}
