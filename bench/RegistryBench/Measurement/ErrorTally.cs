namespace RegistryCloud.Bench.Measurement;

/// <summary>Counts failed operations and keeps the first failure's message for the report.</summary>
internal sealed class ErrorTally
{
    private int _count;
    private string? _first;

    public int Count => Volatile.Read(ref _count);

    public string? First => Volatile.Read(ref _first);

    public void Add(Exception exception) => Add(exception.Message);

    public void Add(string message)
    {
        Interlocked.Increment(ref _count);
        Interlocked.CompareExchange(ref _first, message, null);
    }
}
