namespace RegistryCloud.NotifierService.Delivery;

/// <summary>A started endpoint worker and the two ways to end it.</summary>
internal sealed class RunningWorker : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _stopping;

    public RunningWorker(DateTimeOffset acquiredAt)
    {
        RenewedAt = acquiredAt;
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _abort.Token);
    }

    public Task Task { get; set; } = Task.CompletedTask;

    public DateTimeOffset RenewedAt { get; set; }

    /// <summary>Cancelled by a stop or an abort: no new attempt starts.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Cancelled by an abort only: the attempt in flight is dropped too.</summary>
    public CancellationToken Aborting => _abort.Token;

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task;
    }

    public async Task AbortAsync()
    {
        await _abort.CancelAsync();
        await Task;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _stop.Dispose();
        _abort.Dispose();
    }
}
