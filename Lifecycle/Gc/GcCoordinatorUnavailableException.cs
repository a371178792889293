namespace RegistryCloud.Lifecycle.Gc;

/// <summary>
/// The coordinator's shared store (Redis) did not answer: a record could not be made or read, or a
/// run's lease could not be taken. A request that needed the record is refused (the client retries);
/// a run stops and the next one starts over.
/// </summary>
public sealed class GcCoordinatorUnavailableException : Exception
{
    public GcCoordinatorUnavailableException()
    {
    }

    public GcCoordinatorUnavailableException(string message)
        : base(message)
    {
    }

    public GcCoordinatorUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
