namespace RegistryCloud.Configuration;

/// <summary>Reads <c>notifications</c>: event options and the webhook endpoints.</summary>
internal static class NotificationsSectionReader
{
    public static NotificationsConfiguration Read(ConfigSection root)
    {
        var notifications = root.Section("notifications");
        var endpoints = new List<NotificationEndpointConfiguration>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in notifications.SectionList("endpoints"))
        {
            var endpoint = ReadEndpoint(section);
            if (!names.TryAdd(endpoint.Name, section.Path))
            {
                throw section.Error("name", $"'{endpoint.Name}' is already the name of {names[endpoint.Name]}; endpoint names must be unique");
            }

            endpoints.Add(endpoint);
        }

        return new NotificationsConfiguration
        {
            IncludeReferences = notifications.Section("events").Bool("includereferences") ?? false,
            Endpoints = endpoints,
        };
    }

    private static NotificationEndpointConfiguration ReadEndpoint(ConfigSection endpoint)
    {
        var ignore = endpoint.Section("ignore");
        var defaults = new NotificationEndpointConfiguration { Name = string.Empty, Url = string.Empty };
        return new NotificationEndpointConfiguration
        {
            Name = endpoint.RequiredString("name"),
            Url = endpoint.RequiredHttpUrl("url"),
            Headers = endpoint.Headers("headers"),
            Timeout = endpoint.Duration("timeout") ?? defaults.Timeout,
            Threshold = endpoint.Int("threshold") ?? defaults.Threshold,
            Backoff = endpoint.Duration("backoff") ?? defaults.Backoff,
            IgnoredMediaTypes = endpoint.StringList("ignoredmediatypes"),
            IgnoreMediaTypes = ignore.StringList("mediatypes"),
            IgnoreActions = ignore.StringList("actions"),
            Disabled = endpoint.Bool("disabled") ?? false,
        };
    }
}
