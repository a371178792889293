namespace RegistryCloud.Events;

/// <summary>The <c>action</c> of an event, as Distribution names them (notifications/event.go).</summary>
public static class EventActions
{
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Mount = "mount";
    public const string Delete = "delete";
}
