using RegistryCloud.Events.Redis;
using RegistryCloud.NotifierService.Endpoints;
using RegistryCloud.NotifierService.Status;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Delivery;

/// <summary>
/// Shares the endpoints among the live notifier replicas. Every third of a lease time it
/// records a heartbeat, renews its leases, takes free endpoints up to its fair share
/// (endpoints ÷ live replicas, rounded up) and hands back any above it, and now and then trims
/// the stream. A lease it cannot renew in time stops that endpoint's worker at once; on
/// shutdown every worker finishes its attempt in flight and every lease is released.
/// </summary>
internal sealed partial class NotifierCoordinator(
    IConnectionMultiplexer redis,
    NotifierOptions options,
    EndpointWorkers workers,
    StreamMaintenance maintenance,
    EndpointStates states,
    TimeProvider time,
    ILogger<NotifierCoordinator> logger) : BackgroundService
{
    private readonly EndpointLease _lease = new(redis, options.Keys, options.ConsumerName);
    private readonly Dictionary<string, RunningWorker> _running = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var enabled = options.Enabled.ToList();
        if (enabled.Count == 0)
        {
            LogNothingToDeliver(logger);
            return;
        }

        var nextMaintenance = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var live = await HeartbeatAsync();
                await RenewAsync();
                await BalanceAsync(enabled, live);
                if (time.GetUtcNow() >= nextMaintenance)
                {
                    nextMaintenance = time.GetUtcNow() + options.MaintenanceInterval;
                    await maintenance.RunAsync();
                }
            }
            catch (Exception e) when (RedisFailure.IsUnavailable(e, stoppingToken))
            {
                LogRedisUnavailable(logger, e.Message);
                await AbortExpiringAsync();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A bug must not stop delivery for good: log it and go round again.
                LogRoundFailed(logger, e);
                await AbortExpiringAsync();
            }

            try
            {
                await Task.Delay(options.LeaseTime / 3, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        foreach (var endpoint in _running.Keys.ToList())
        {
            await StopAsync(endpoint);
        }

        await LeaveAsync();
    }

    private async Task<long> HeartbeatAsync()
    {
        var database = redis.GetDatabase();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await database.SortedSetAddAsync(options.Keys.Notifiers, options.ConsumerName, now);
        await database.SortedSetRemoveRangeByScoreAsync(options.Keys.Notifiers, double.NegativeInfinity, now - options.LeaseTime.TotalMilliseconds);
        return Math.Max(1, await database.SortedSetLengthAsync(options.Keys.Notifiers));
    }

    private async Task RenewAsync()
    {
        foreach (var (endpoint, running) in _running.ToList())
        {
            if (running.Task.IsCompleted)
            {
                // It ended on its own (it logged why); the endpoint is free for the next round.
                await StopAsync(endpoint);
            }
            else if (await _lease.RenewAsync(endpoint, options.LeaseTime))
            {
                running.RenewedAt = time.GetUtcNow();
            }
            else
            {
                LogLeaseLost(logger, endpoint);
                await running.AbortAsync();
                Forget(endpoint);
            }
        }
    }

    private async Task BalanceAsync(List<EndpointSettings> enabled, long live)
    {
        var share = (int)Math.Ceiling(enabled.Count / (double)live);
        foreach (var endpoint in _running.Keys.Reverse().Take(Math.Max(0, _running.Count - share)).ToList())
        {
            LogHandingOver(logger, endpoint, share);
            await StopAsync(endpoint);
        }

        // Each replica tries the endpoints in its own order, so they do not all race for the same one.
        var candidates = enabled
            .Where(endpoint => !_running.ContainsKey(endpoint.Name))
            .OrderBy(endpoint => StableHash(options.ConsumerName + "/" + endpoint.Name));
        foreach (var endpoint in candidates)
        {
            if (_running.Count >= share)
            {
                break;
            }

            if (await _lease.TryAcquireAsync(endpoint.Name, options.LeaseTime))
            {
                Start(endpoint);
            }
        }
    }

    private void Start(EndpointSettings endpoint)
    {
        var running = new RunningWorker(time.GetUtcNow());
        var worker = workers.Create(endpoint);
        running.Task = Task.Run(() => RunWorkerAsync(worker, endpoint.Name, running));
        _running[endpoint.Name] = running;
        states[endpoint.Name].Owned = true;
        LogOwning(logger, endpoint.Name);
    }

    private async Task RunWorkerAsync(EndpointWorker worker, string endpoint, RunningWorker running)
    {
        try
        {
            await worker.RunAsync(running.Stopping, running.Aborting);
        }
        catch (OperationCanceledException) when (running.Stopping.IsCancellationRequested)
        {
            // Stopped or aborted.
        }
        catch (Exception e)
        {
            LogWorkerFailed(logger, endpoint, e);
        }
    }

    /// <summary>Graceful: the attempt in flight completes, then the lease is released.</summary>
    private async Task StopAsync(string endpoint)
    {
        var running = _running[endpoint];
        await running.StopAsync();
        Forget(endpoint);
        try
        {
            await _lease.ReleaseAsync(endpoint);
        }
        catch (Exception e) when (RedisFailure.IsUnavailable(e))
        {
            // It expires by itself.
            LogRedisUnavailable(logger, e.Message);
        }
    }

    private void Forget(string endpoint)
    {
        _running[endpoint].Dispose();
        _running.Remove(endpoint);
        states[endpoint].Owned = false;
    }

    /// <summary>Without Redis no lease can be renewed: stop before one expires and another replica takes over.</summary>
    private async Task AbortExpiringAsync()
    {
        var now = time.GetUtcNow();
        foreach (var (endpoint, running) in _running.ToList())
        {
            if (now - running.RenewedAt >= options.LeaseTime * 2 / 3)
            {
                LogLeaseLost(logger, endpoint);
                await running.AbortAsync();
                Forget(endpoint);
            }
        }
    }

    private async Task LeaveAsync()
    {
        try
        {
            await redis.GetDatabase().SortedSetRemoveAsync(options.Keys.Notifiers, options.ConsumerName);
        }
        catch (Exception e) when (RedisFailure.IsUnavailable(e))
        {
            LogRedisUnavailable(logger, e.Message);
        }
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var character in text)
        {
            hash = (hash ^ character) * 16777619u;
        }

        return hash;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No enabled endpoint in notifications.endpoints: nothing to deliver")]
    private static partial void LogNothingToDeliver(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivering to endpoint {Endpoint}")]
    private static partial void LogOwning(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handing endpoint {Endpoint} over to another replica (fair share {Share})")]
    private static partial void LogHandingOver(ILogger logger, string endpoint, int share);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease of endpoint {Endpoint}; delivery stops here")]
    private static partial void LogLeaseLost(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable: {Error}")]
    private static partial void LogRedisUnavailable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "A coordination round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The worker of endpoint {Endpoint} failed")]
    private static partial void LogWorkerFailed(ILogger logger, string endpoint, Exception exception);
}
