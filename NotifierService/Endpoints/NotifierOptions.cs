using RegistryCloud.Configuration;
using RegistryCloud.Events;

namespace RegistryCloud.NotifierService.Endpoints;

/// <summary>
/// The notifier's settings: the endpoints of <c>notifications.endpoints</c>, and RegistryCloud's
/// own delivery settings under <c>Notifier:</c> (durations written as in <c>config.yml</c>:
/// <c>500ms</c>, <c>15s</c>, <c>24h</c>). Read and checked once at start-up; a bad value stops
/// the service with a message that names its key.
/// </summary>
internal sealed record NotifierOptions
{
    public const string Section = "Notifier";

    public required IReadOnlyList<EndpointSettings> Endpoints { get; init; }

    public string Stream { get; init; } = EventStreamKeys.DefaultStream;

    /// <summary>This replica's consumer name in every endpoint's group; unique per process start.</summary>
    public string ConsumerName { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>How long an endpoint stays with a replica that stops renewing its lease.</summary>
    public TimeSpan LeaseTime { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an event must have sat unacknowledged with another consumer before it is claimed.</summary>
    public TimeSpan ClaimIdleTime { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an idle endpoint looks for new events.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The cap of the doubling backoff.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>An event older than this is dead-lettered instead of sent again; zero: never.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Failed attempts after which an event is dead-lettered; zero: no limit (an outage of hours is waited out).</summary>
    public int MaxAttempts { get; init; }

    /// <summary>Events per request: 1 is Distribution's behaviour.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Each endpoint keeps at most about this many dead letters, the oldest dropped first.</summary>
    public int DeadLetterMaxLength { get; init; } = 10_000;

    /// <summary>How often delivered events are trimmed from the stream and pending counts refreshed.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(10);

    public EventStreamKeys Keys => new(Stream);

    public IEnumerable<EndpointSettings> Enabled => Endpoints.Where(endpoint => !endpoint.Disabled);

    public EndpointSettings? Find(string name) => Endpoints.FirstOrDefault(endpoint => endpoint.Name == name);

    public static NotifierOptions From(IConfiguration configuration, NotificationsConfiguration notifications)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(notifications);
        var section = configuration.GetSection(Section);
        var names = notifications.Endpoints.Select(endpoint => endpoint.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var configured in section.GetSection("Endpoints").GetChildren())
        {
            if (!names.Contains(configured.Key))
            {
                throw new InvalidOperationException($"{configured.Path}: there is no endpoint '{configured.Key}' in notifications.endpoints.");
            }
        }

        var defaults = new NotifierOptions { Endpoints = [] };
        var options = new NotifierOptions
        {
            Endpoints = [.. notifications.Endpoints.Select(endpoint => EndpointSettings.From(
                endpoint,
                section[$"Endpoints:{endpoint.Name}:Secret"],
                section[$"Endpoints:{endpoint.Name}:SignatureHeader"]))],
            Stream = configuration[RegistryEventsOptions.StreamKey] is { Length: > 0 } stream ? stream : defaults.Stream,
            ConsumerName = section["ConsumerName"] is { Length: > 0 } consumer ? consumer : defaults.ConsumerName,
            LeaseTime = Duration(section, "LeaseTime", defaults.LeaseTime, allowZero: false),
            ClaimIdleTime = Duration(section, "ClaimIdleTime", defaults.ClaimIdleTime, allowZero: true),
            PollInterval = Duration(section, "PollInterval", defaults.PollInterval, allowZero: false),
            MaxBackoff = Duration(section, "MaxBackoff", defaults.MaxBackoff, allowZero: false),
            MaxAge = Duration(section, "MaxAge", defaults.MaxAge, allowZero: true),
            MaxAttempts = Count(section, "MaxAttempts", defaults.MaxAttempts, minimum: 0),
            BatchSize = Count(section, "BatchSize", defaults.BatchSize, minimum: 1),
            DeadLetterMaxLength = Count(section, "DeadLetterMaxLength", defaults.DeadLetterMaxLength, minimum: 1),
            MaintenanceInterval = Duration(section, "MaintenanceInterval", defaults.MaintenanceInterval, allowZero: false),
        };

        if (options.PollInterval >= options.LeaseTime)
        {
            throw new InvalidOperationException($"{Section}:PollInterval must be shorter than {Section}:LeaseTime.");
        }

        return options;
    }

    private static TimeSpan Duration(IConfigurationSection section, string key, TimeSpan fallback, bool allowZero)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (!GoDuration.TryParse(text, out var value) || value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            var least = allowZero ? "zero or more" : "more than zero";
            throw new InvalidOperationException($"{section.Path}:{key}: '{text}' is not a duration of {least} (e.g. 500ms, 15s, 24h).");
        }

        return value;
    }

    private static int Count(IConfigurationSection section, string key, int fallback, int minimum)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, out var value) && value >= minimum
            ? value
            : throw new InvalidOperationException($"{section.Path}:{key}: '{text}' is not a whole number of at least {minimum}.");
    }
}
