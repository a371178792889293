using Microsoft.Extensions.Configuration;
using RegistryCloud.Configuration;

namespace RegistryCloud.Events;

/// <summary>
/// What the producing services need to know about events: the stream, the enabled endpoints
/// (each gets a consumer group before the first event is added, so none can miss it), whether
/// manifest events carry references, and how to write target URLs (<c>http.host</c>,
/// <c>http.relativeurls</c>). With no enabled endpoint there is nothing to publish.
/// </summary>
public sealed record RegistryEventsOptions
{
    /// <summary>RegistryCloud's own setting: the Redis stream key (default <see cref="EventStreamKeys.DefaultStream"/>).</summary>
    public const string StreamKey = "RegistryEvents:Stream";

    public string Stream { get; init; } = EventStreamKeys.DefaultStream;

    /// <summary>Names of the endpoints that are not <c>disabled</c>.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];

    /// <summary><c>notifications.events.includereferences</c>.</summary>
    public bool IncludeReferences { get; init; }

    /// <summary><c>http.host</c>: the base of target URLs instead of the request's host.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary><c>http.relativeurls</c>: target URLs are paths.</summary>
    public bool RelativeUrls { get; init; }

    public bool Enabled => Endpoints.Count > 0;

    public EventStreamKeys Keys => new(Stream);

    public static RegistryEventsOptions From(IConfiguration configuration, RegistryConfiguration registry)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(registry);
        var stream = configuration[StreamKey] ?? EventStreamKeys.DefaultStream;
        if (string.IsNullOrWhiteSpace(stream))
        {
            throw new InvalidOperationException($"{StreamKey}: the event stream key must not be empty.");
        }

        Uri? baseUrl = null;
        if (registry.Http.Host is { Length: > 0 } host && !Uri.TryCreate(host, UriKind.Absolute, out baseUrl))
        {
            throw new InvalidOperationException($"http.host: '{host}' is not an absolute URL.");
        }

        return new RegistryEventsOptions
        {
            Stream = stream,
            Endpoints = [.. registry.Notifications.Endpoints.Where(endpoint => !endpoint.Disabled).Select(endpoint => endpoint.Name)],
            IncludeReferences = registry.Notifications.IncludeReferences,
            BaseUrl = baseUrl,
            RelativeUrls = registry.Http.RelativeUrls,
        };
    }
}
