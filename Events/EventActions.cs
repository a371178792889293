namespace RegistryCloud.Events;

/// <summary>The <c>action</c> of an event, as Distribution names them (notifications/event.go).</summary>
public static class EventActions
{
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Mount = "mount";
    public const string Delete = "delete";

    /// <summary>RegistryCloud's own: the scrub moved a blob whose bytes do not hash to its digest into the quarantine.</summary>
    public const string Quarantine = "quarantine";
}
