using System.Collections.Concurrent;
using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace RegistryCloud.Tests.AppHostTesting;

/// <summary>
/// Which replica served which request, as each replica says itself: ASP.NET Core's hosting log
/// writes one <c>Request finished HTTP/1.1 PATCH http://.../v2/... - 202</c> line per request
/// (the fixture turns it on for the services, <see cref="LogLevelVariable"/>), and Aspire's
/// <see cref="ResourceLoggerService"/> hands each resource's console to the test. Nothing is added
/// to what clients see. Watching <see cref="RequestStarting"/> instead shows where a request that
/// is still running landed.
/// </summary>
public sealed class ReplicaRequestLog : IAsyncDisposable
{
    /// <summary>The variable that turns a service's request log on (set it to <c>Information</c>).</summary>
    public const string LogLevelVariable = "Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics";

    public const string RequestFinished = "Request finished ";
    public const string RequestStarting = "Request starting ";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, ConcurrentQueue<string>> _requests;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _watchers = [];

    private readonly string _marker;

    private ReplicaRequestLog(IReadOnlyList<string> resources, string marker)
    {
        _marker = marker;
        _requests = resources.ToDictionary(r => r, _ => new ConcurrentQueue<string>(), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Resources => _requests.Keys;

    /// <summary>Starts reading every named resource's console (its backlog first, then as it is written).</summary>
    public static ReplicaRequestLog Watch(DistributedApplication app, IReadOnlyList<string> resources, string marker = RequestFinished)
    {
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var log = new ReplicaRequestLog(resources, marker);
        foreach (var name in resources)
        {
            // By the resource, not its name: the logs are kept under the name DCP gave its process.
            var resource = model.Resources.SingleOrDefault(r => r.Name == name)
                ?? throw new InvalidOperationException($"The app model has no resource '{name}'.");
            log._watchers.Add(log.ReadAsync(loggers, resource));
        }

        return log;
    }

    /// <summary>How many requests whose request line contains <paramref name="marker"/> each resource has finished so far.</summary>
    public IReadOnlyDictionary<string, int> Count(string marker) =>
        _requests.ToDictionary(pair => pair.Key, pair => pair.Value.Count(line => line.Contains(marker, StringComparison.Ordinal)), StringComparer.Ordinal);

    /// <summary>
    /// Waits until <paramref name="enough"/> holds and the counts have stopped moving (the last
    /// log lines of a request reach the test a moment after its response), then returns them;
    /// after <paramref name="timeout"/>, returns whatever was counted so the caller's assertion says what is missing.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> SettleAsync(
        string marker, Func<IReadOnlyDictionary<string, int>, bool> enough, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var counts = Count(marker);
        var unchangedSince = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            await Task.Delay(Poll, cancellationToken);
            var next = Count(marker);
            if (!next.OrderBy(p => p.Key).SequenceEqual(counts.OrderBy(p => p.Key)))
            {
                counts = next;
                unchangedSince.Restart();
            }
            else if (enough(counts) && unchangedSince.Elapsed >= Quiet)
            {
                break;
            }
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_watchers);
        }
        catch (OperationCanceledException)
        {
            // Stopping is how a watch ends.
        }

        _stop.Dispose();
    }

    private async Task ReadAsync(ResourceLoggerService loggers, IResource resource)
    {
        var requests = _requests[resource.Name];
        await foreach (var batch in loggers.WatchAsync(resource).WithCancellation(_stop.Token))
        {
            foreach (var line in batch)
            {
                var start = line.Content.IndexOf(_marker, StringComparison.Ordinal);
                if (start >= 0)
                {
                    requests.Enqueue(line.Content[(start + _marker.Length)..]);
                }
            }
        }
    }
}
