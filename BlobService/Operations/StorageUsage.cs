using RegistryCloud.Configuration;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Lifecycle.Usage;
using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Operations;

/// <summary>
/// Storage used without walking the store on every look. A collection counts it as its blob sweep
/// passes (<see cref="GcReport.StoredBytes"/>); when no count is younger than <see cref="MaxAge"/>
/// (the collector off, or its interval longer), asking for it starts one walk in the background
/// (<see cref="StorageCount"/>), paced by <c>gc.dutycycle</c> and run by one replica at a time
/// (the <c>usage</c> run lease). The caller gets the last count
/// meanwhile, with its age.
/// </summary>
internal sealed partial class StorageUsage(
    IStorageDriver driver,
    IGcCoordinator coordinator,
    LifecycleStatusStore store,
    RegistryConfiguration configuration,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<StorageUsage> logger)
{
    /// <summary>How old a count may be before a look starts a new walk.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(15);

    public const string Job = "usage";

    private int _walking;

    /// <summary>The last count (null before the first), and whether a walk is under way here.</summary>
    public async Task<(StorageUsed? Used, bool Measuring)> ReadAsync()
    {
        var used = await store.StorageAsync();
        if (used is null || time.GetUtcNow() - used.MeasuredAt > MaxAge)
        {
            StartWalk();
        }

        return (used, Volatile.Read(ref _walking) == 1);
    }

    private void StartWalk()
    {
        if (Interlocked.CompareExchange(ref _walking, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await WalkAsync(lifetime.ApplicationStopping);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or GcCoordinatorUnavailableException)
            {
                LogFailed(logger, e.Message);
            }
            finally
            {
                Volatile.Write(ref _walking, 0);
            }
        });
    }

    /// <summary>One count, unless another replica is making one (its result reaches every replica through Redis).</summary>
    internal async Task WalkAsync(CancellationToken cancellationToken)
    {
        await using var lease = await coordinator.TryAcquireRunAsync(Job, cancellationToken);
        if (lease is null)
        {
            return;
        }

        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        var (blobs, bytes) = await StorageCount.CountAsync(driver, new Pacer(configuration.Gc.DutyCycle, time), run.Token);
        await store.RecordStorageAsync(new StorageUsed(bytes, blobs, time.GetUtcNow(), "walk"));
        LogCounted(logger, blobs, bytes);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage used: {Blobs} blobs, {Bytes} bytes")]
    private static partial void LogCounted(ILogger logger, long blobs, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting storage used failed: {Reason}; the next look tries again")]
    private static partial void LogFailed(ILogger logger, string reason);
}
