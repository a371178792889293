namespace RegistryCloud.NotifierService.Status;

/// <summary>What this replica knows about one endpoint right now, for the gauges.</summary>
internal sealed class EndpointState(string name)
{
    private long _pending;
    private int _lastStatus = -1;
    private int _owned;

    public string Name => name;

    /// <summary>Events not yet acknowledged by the endpoint (read and unread), as of the last refresh.</summary>
    public long Pending
    {
        get => Interlocked.Read(ref _pending);
        set => Interlocked.Exchange(ref _pending, value);
    }

    /// <summary>The last response status (0: no response); -1 before any attempt from this replica.</summary>
    public int LastStatus
    {
        get => Volatile.Read(ref _lastStatus);
        set => Volatile.Write(ref _lastStatus, value);
    }

    /// <summary>Whether this replica delivers to the endpoint now.</summary>
    public bool Owned
    {
        get => Volatile.Read(ref _owned) == 1;
        set => Volatile.Write(ref _owned, value ? 1 : 0);
    }
}
