using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RegistryCloud.Hosting.Health;

/// <summary>
/// One of Distribution's configured checks (<c>health.storagedriver</c>, <c>health.file</c>,
/// <c>health.http</c>, <c>health.tcp</c>): a probe run every <see cref="Interval"/> by
/// <see cref="RegistryHealthMonitor"/>, and an <see cref="IHealthCheck"/> that answers from the
/// last result, so a readiness probe never waits on the network. Like Distribution's threshold
/// updater, it turns unhealthy after <see cref="Threshold"/> consecutive failures (0 and 1 both
/// mean the first) and healthy again on the first success. Before its first run it is healthy,
/// as Distribution's checks are.
/// </summary>
public sealed class PeriodicHealthCheck(string name, IHealthProbe probe, TimeSpan interval, int threshold) : IHealthCheck
{
    private readonly Lock _gate = new();
    private int _consecutiveFailures;
    private string? _lastFailure;
    private HealthCheckResult _result = HealthCheckResult.Healthy("not run yet");

    public string Name => name;

    public IHealthProbe Probe => probe;

    public TimeSpan Interval => interval;

    public int Threshold => threshold;

    /// <summary>Failures in a row since the last success.</summary>
    public int ConsecutiveFailures
    {
        get
        {
            lock (_gate)
            {
                return _consecutiveFailures;
            }
        }
    }

    /// <summary>Runs the probe once and records its outcome.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        string? failure;
        try
        {
            failure = await probe.ProbeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A probe that breaks is a failed check, never a crashed monitor: an exception out of
            // a background service would stop the host.
            failure = $"{e.GetType().Name}: {e.Message}";
        }

        lock (_gate)
        {
            if (failure is null)
            {
                _consecutiveFailures = 0;
                _lastFailure = null;
                _result = HealthCheckResult.Healthy();
                return;
            }

            _consecutiveFailures++;
            _lastFailure = failure;
            _result = _consecutiveFailures >= Math.Max(1, threshold)
                ? HealthCheckResult.Unhealthy(failure)
                : HealthCheckResult.Healthy($"{_consecutiveFailures} of {Math.Max(1, threshold)} failures allowed: {failure}");
        }
    }

    /// <summary>The most recent failure, whether or not it has crossed the threshold yet.</summary>
    public string? LastFailure
    {
        get
        {
            lock (_gate)
            {
                return _lastFailure;
            }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_result);
        }
    }
}

/// <summary>What a configured check tests. Returns null when healthy, else why not; never throws for a failed probe.</summary>
public interface IHealthProbe
{
    Task<string?> ProbeAsync(CancellationToken cancellationToken);
}
