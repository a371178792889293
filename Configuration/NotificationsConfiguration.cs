namespace RegistryCloud.Configuration;

/// <summary><c>notifications</c>: webhook endpoints that receive registry events.</summary>
public sealed record NotificationsConfiguration
{
    /// <summary><c>notifications.events.includereferences</c>.</summary>
    public bool IncludeReferences { get; init; }

    /// <summary><c>notifications.endpoints</c>, in file order; names are unique.</summary>
    public IReadOnlyList<NotificationEndpointConfiguration> Endpoints { get; init; } = [];
}

/// <summary>
/// One entry of <c>notifications.endpoints</c>. Timeout, threshold and backoff default to
/// Distribution's 1s, 10 and 1s.
/// </summary>
public sealed record NotificationEndpointConfiguration
{
    public required string Name { get; init; }

    /// <summary>The absolute http(s) URL events are POSTed to.</summary>
    public required string Url { get; init; }

    /// <summary>Static headers added to each request, name to values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Failures in a row before the endpoint backs off.</summary>
    public int Threshold { get; init; } = 10;

    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>ignoredmediatypes</c>: target media types never sent.</summary>
    public IReadOnlyList<string> IgnoredMediaTypes { get; init; } = [];

    /// <summary><c>ignore.mediatypes</c>.</summary>
    public IReadOnlyList<string> IgnoreMediaTypes { get; init; } = [];

    /// <summary><c>ignore.actions</c>: pull, push, mount, delete.</summary>
    public IReadOnlyList<string> IgnoreActions { get; init; } = [];

    public bool Disabled { get; init; }
}
