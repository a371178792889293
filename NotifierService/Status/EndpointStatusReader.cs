using System.Globalization;
using RegistryCloud.NotifierService.DeadLetters;
using RegistryCloud.NotifierService.Delivery;
using RegistryCloud.NotifierService.Endpoints;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Status;

/// <summary>Puts together each endpoint's status from its lease, its group, its dead letters and its counters.</summary>
internal sealed class EndpointStatusReader(
    IConnectionMultiplexer redis,
    NotifierOptions options,
    StreamMaintenance maintenance,
    DeadLetterStore deadLetters,
    EndpointStatusStore store)
{
    private readonly EndpointLease _lease = new(redis, options.Keys, options.ConsumerName);

    public async Task<EndpointList> ReadAsync()
    {
        var pending = await maintenance.PendingAsync();
        var endpoints = new List<EndpointStatus>(options.Endpoints.Count);
        foreach (var endpoint in options.Endpoints)
        {
            var counters = await store.ReadAsync(endpoint.Name);
            endpoints.Add(new EndpointStatus
            {
                Name = endpoint.Name,
                Url = endpoint.DisplayUrl,
                Disabled = endpoint.Disabled,
                Owner = endpoint.Disabled ? null : await _lease.OwnerAsync(endpoint.Name),
                Pending = pending.GetValueOrDefault(endpoint.Name),
                DeadLetters = await deadLetters.CountAsync(endpoint.Name),
                Delivered = Number(counters, "delivered"),
                Failed = Number(counters, "failed"),
                DeadLettered = Number(counters, "deadLettered"),
                Ignored = Number(counters, "ignored"),
                LastStatus = counters.ContainsKey("lastStatus") ? (int)Number(counters, "lastStatus") : null,
                LastError = Text(counters, "lastError"),
                ConsecutiveFailures = (int)Number(counters, "consecutiveFailures"),
                LastAttemptAt = Text(counters, "lastAttemptAt"),
                LastDeliveredAt = Text(counters, "lastDeliveredAt"),
                LastFailureAt = Text(counters, "lastFailureAt"),
            });
        }

        return new EndpointList(endpoints);
    }

    /// <summary>What the service knows without Redis: the configuration.</summary>
    public static EndpointList Configured(NotifierOptions options) =>
        new([.. options.Endpoints.Select(endpoint => new EndpointStatus { Name = endpoint.Name, Url = endpoint.DisplayUrl, Disabled = endpoint.Disabled })]);

    private static long Number(IReadOnlyDictionary<string, string> counters, string name) =>
        counters.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static string? Text(IReadOnlyDictionary<string, string> counters, string name) =>
        counters.TryGetValue(name, out var text) && text.Length > 0 ? text : null;
}
