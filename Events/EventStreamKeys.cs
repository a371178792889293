namespace RegistryCloud.Events;

/// <summary>
/// The Redis keys of the event pipeline, all derived from one stream key so that a deployment
/// (or a test) can keep several apart. The default carries a hash tag (<c>{events}</c>) so
/// every key lands in one Redis Cluster slot, as the notifier's transactions need.
/// </summary>
public sealed record EventStreamKeys(string Stream)
{
    public const string DefaultStream = "registry:{events}";

    /// <summary>The consumer group that tracks one endpoint's progress through the stream.</summary>
    public static string GroupFor(string endpoint) => "endpoint:" + endpoint;

    /// <summary>Events an endpoint gave up on, for an operator to list and replay.</summary>
    public string DeadLetters(string endpoint) => $"{Stream}:deadletter:{endpoint}";

    /// <summary>Which notifier replica delivers to the endpoint now.</summary>
    public string Lease(string endpoint) => $"{Stream}:lease:{endpoint}";

    /// <summary>Delivery counters and the last outcome, shared by every replica.</summary>
    public string Status(string endpoint) => $"{Stream}:status:{endpoint}";

    /// <summary>Failed attempts of the events in flight, so a restart does not reset them.</summary>
    public string Attempts(string endpoint) => $"{Stream}:attempts:{endpoint}";

    /// <summary>Live notifier replicas, scored by their last heartbeat.</summary>
    public string Notifiers => $"{Stream}:notifiers";

    /// <summary>Held by the replica that trims delivered events off the stream.</summary>
    public string TrimLock => $"{Stream}:trim";
}
