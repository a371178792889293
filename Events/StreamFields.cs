namespace RegistryCloud.Events;

/// <summary>The fields of a stream entry.</summary>
public static class StreamFields
{
    /// <summary>The event's JSON, exactly as it is delivered.</summary>
    public const string Event = "event";

    /// <summary>The event's action, for endpoint filters.</summary>
    public const string Action = "action";

    /// <summary>The target's media type, for endpoint filters.</summary>
    public const string MediaType = "mediaType";

    /// <summary>On a replayed dead letter: the only endpoint that should receive it.</summary>
    public const string Endpoint = "endpoint";
}
