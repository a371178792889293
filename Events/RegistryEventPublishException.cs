namespace RegistryCloud.Events;

/// <summary>An event could not be stored in the event stream.</summary>
public sealed class RegistryEventPublishException : Exception
{
    public RegistryEventPublishException()
    {
    }

    public RegistryEventPublishException(string message)
        : base(message)
    {
    }

    public RegistryEventPublishException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
